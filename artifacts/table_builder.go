package artifacts

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// Builder builds a table of a fixed schema row by row. Columns may be
// string, int64, float64 or boolean. It is not safe for concurrent use.
type Builder struct {
	schema *arrow.Schema
	fields []arrow.Field // schema.Fields() copies; Append runs per row
	rb     *array.RecordBuilder
}

// NewBuilder returns a builder for tables of schema.
func NewBuilder(schema *arrow.Schema) *Builder {
	return &Builder{schema: schema, fields: schema.Fields(), rb: array.NewRecordBuilder(memory.DefaultAllocator, schema)}
}

// Append adds one row: one value per column in schema order. nil is null;
// a string column takes a string, an int64 column an int64 or int, a
// float64 column a float64, a boolean column a bool. A bad row is
// rejected whole, with an error naming the column.
func (b *Builder) Append(values ...any) error {
	fields := b.fields
	if len(values) != len(fields) {
		return fmt.Errorf("append: %d values for %d columns", len(values), len(fields))
	}
	for i, v := range values {
		if err := checkValue(fields[i], v); err != nil {
			return fmt.Errorf("append: %w", err)
		}
	}
	for i, v := range values {
		appendValue(b.rb.Field(i), v)
	}
	return nil
}

// Len returns the number of rows appended since the last Table.
func (b *Builder) Len() int {
	if len(b.rb.Fields()) == 0 {
		return 0
	}
	return b.rb.Field(0).Len()
}

// Table returns the rows appended so far as a table and empties the
// builder. The caller releases the table.
func (b *Builder) Table() arrow.Table {
	rec := b.rb.NewRecordBatch()
	defer rec.Release()
	return array.NewTableFromRecords(b.schema, []arrow.RecordBatch{rec})
}

// Release frees the builder's memory.
func (b *Builder) Release() { b.rb.Release() }

func checkValue(f arrow.Field, v any) error {
	if v == nil {
		if !f.Nullable {
			return fmt.Errorf("column %q: null in a non-nullable column", f.Name)
		}
		return nil
	}
	ok := false
	switch f.Type.ID() {
	case arrow.STRING:
		_, ok = v.(string)
	case arrow.INT64:
		switch v.(type) {
		case int64, int:
			ok = true
		}
	case arrow.FLOAT64:
		_, ok = v.(float64)
	case arrow.BOOL:
		_, ok = v.(bool)
	default:
		return fmt.Errorf("column %q: type %s is not supported by the builder", f.Name, f.Type)
	}
	if !ok {
		return fmt.Errorf("column %q: %T value for a %s column", f.Name, v, f.Type)
	}
	return nil
}

// appendValue appends a value already checked by checkValue.
func appendValue(fb array.Builder, v any) {
	if v == nil {
		fb.AppendNull()
		return
	}
	switch x := v.(type) {
	case string:
		fb.(*array.StringBuilder).Append(x)
	case int64:
		fb.(*array.Int64Builder).Append(x)
	case int:
		fb.(*array.Int64Builder).Append(int64(x))
	case float64:
		fb.(*array.Float64Builder).Append(x)
	case bool:
		fb.(*array.BooleanBuilder).Append(x)
	}
}

// Column is one column's data for NewTable: Values is a []string,
// []int64, []float64 or []bool matching the field's type; Valid, when not
// nil, says which values are present (false: null).
type Column struct {
	Values any
	Valid  []bool
}

// NewTable builds a table of schema column by column; cols are in schema
// order and all of one length. The caller releases the table.
func NewTable(schema *arrow.Schema, cols ...Column) (arrow.Table, error) {
	fields := schema.Fields()
	if len(cols) != len(fields) {
		return nil, fmt.Errorf("new table: %d columns for a schema of %d", len(cols), len(fields))
	}
	arrs := make([]arrow.Array, 0, len(cols))
	defer func() {
		for _, a := range arrs {
			a.Release()
		}
	}()
	rows := -1
	for i, c := range cols {
		a, err := buildColumn(fields[i], c)
		if err != nil {
			return nil, fmt.Errorf("new table: %w", err)
		}
		arrs = append(arrs, a)
		if rows >= 0 && a.Len() != rows {
			return nil, fmt.Errorf("new table: column %q has %d rows, column %q has %d", fields[i].Name, a.Len(), fields[0].Name, rows)
		}
		rows = a.Len()
	}
	if rows < 0 {
		rows = 0
	}
	rec := array.NewRecordBatch(schema, arrs, int64(rows))
	defer rec.Release()
	return array.NewTableFromRecords(schema, []arrow.RecordBatch{rec}), nil
}

func buildColumn(f arrow.Field, c Column) (arrow.Array, error) {
	mem := memory.DefaultAllocator
	if n := sliceLen(c.Values); c.Valid != nil && n >= 0 && len(c.Valid) != n {
		return nil, fmt.Errorf("column %q: %d values but %d validity flags", f.Name, n, len(c.Valid))
	}
	var a arrow.Array
	switch vals := c.Values.(type) {
	case []string:
		if f.Type.ID() == arrow.STRING {
			b := array.NewStringBuilder(mem)
			defer b.Release()
			b.AppendValues(vals, c.Valid)
			a = b.NewArray()
		}
	case []int64:
		if f.Type.ID() == arrow.INT64 {
			b := array.NewInt64Builder(mem)
			defer b.Release()
			b.AppendValues(vals, c.Valid)
			a = b.NewArray()
		}
	case []float64:
		if f.Type.ID() == arrow.FLOAT64 {
			b := array.NewFloat64Builder(mem)
			defer b.Release()
			b.AppendValues(vals, c.Valid)
			a = b.NewArray()
		}
	case []bool:
		if f.Type.ID() == arrow.BOOL {
			b := array.NewBooleanBuilder(mem)
			defer b.Release()
			b.AppendValues(vals, c.Valid)
			a = b.NewArray()
		}
	}
	if a == nil {
		return nil, fmt.Errorf("column %q: %T values for a %s column", f.Name, c.Values, f.Type)
	}
	if !f.Nullable && a.NullN() > 0 {
		a.Release()
		return nil, fmt.Errorf("column %q: null in a non-nullable column", f.Name)
	}
	return a, nil
}

// sliceLen returns the length of a supported column slice, or -1.
func sliceLen(v any) int {
	switch x := v.(type) {
	case []string:
		return len(x)
	case []int64:
		return len(x)
	case []float64:
		return len(x)
	case []bool:
		return len(x)
	}
	return -1
}
