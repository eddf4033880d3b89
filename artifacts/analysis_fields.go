package artifacts

import "github.com/apache/arrow-go/v18/arrow"

// Helpers for declaring the analysis table schemas (cost, stats,
// validation): each column is a string, int64 or float64, nullable or not.

func strCol(name string) arrow.Field {
	return arrow.Field{Name: name, Type: arrow.BinaryTypes.String}
}

func intCol(name string) arrow.Field {
	return arrow.Field{Name: name, Type: arrow.PrimitiveTypes.Int64}
}

func numCol(name string) arrow.Field {
	return arrow.Field{Name: name, Type: arrow.PrimitiveTypes.Float64}
}

// optCol is a nullable float64 column: null where the value is missing
// (energy unavailable) or undefined (a runner-up with one backend).
func optCol(name string) arrow.Field {
	return arrow.Field{Name: name, Type: arrow.PrimitiveTypes.Float64, Nullable: true}
}

func versioned(version string, fields ...arrow.Field) *arrow.Schema {
	md := arrow.NewMetadata([]string{SchemaKey}, []string{version})
	return arrow.NewSchema(fields, &md)
}
