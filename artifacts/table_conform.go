package artifacts

import (
	"context"
	"fmt"
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/compute"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// ConformTable checks an already typed table (read from Parquet) against
// opt and returns it reshaped: the schema's columns first, in its order,
// with its metadata, nullable ones the table lacks filled with nulls, then
// extra columns per opt.Extra. Errors name the column, and the row
// (counted from 1) where a value is bad. The caller releases the result.
func ConformTable(tbl arrow.Table, opt ReadOptions) (arrow.Table, error) {
	in := tbl.Schema()
	var fields []arrow.Field
	var cols []*arrow.Chunked
	defer func() {
		for _, c := range cols {
			c.Release()
		}
	}()
	used := make([]bool, in.NumFields())
	var md *arrow.Metadata
	if opt.Schema != nil {
		var missing []string
		for _, f := range opt.Schema.Fields() {
			idx := in.FieldIndices(f.Name)
			if len(idx) == 0 {
				if !f.Nullable {
					missing = append(missing, fmt.Sprintf("%q", f.Name))
					continue
				}
				nulls := array.MakeArrayOfNull(memory.DefaultAllocator, f.Type, int(tbl.NumRows()))
				cols = append(cols, arrow.NewChunked(f.Type, []arrow.Array{nulls}))
				nulls.Release()
				fields = append(fields, arrow.Field{Name: f.Name, Type: f.Type, Nullable: true})
				continue
			}
			i := idx[0]
			used[i] = true
			data, err := conformColumn(tbl.Column(i).Data(), f, opt.Schema)
			if err != nil {
				return nil, err
			}
			cols = append(cols, data)
			if !f.Nullable {
				if row := firstNull(data); row > 0 {
					return nil, fmt.Errorf("row %d: column %q: missing value in a required column", row, f.Name)
				}
			}
			fields = append(fields, arrow.Field{Name: f.Name, Type: f.Type, Nullable: f.Nullable})
		}
		if len(missing) > 0 {
			return nil, missingColumnsErr(missing, opt.Schema)
		}
		m := opt.Schema.Metadata()
		md = &m
	} else {
		m := in.Metadata()
		md = &m
	}
	for i, f := range in.Fields() {
		if used[i] {
			continue
		}
		if opt.Schema != nil {
			if opt.Extra == ExtraReject {
				return nil, fmt.Errorf("column %q is not in schema %s", f.Name, schemaName(opt.Schema))
			}
			if opt.Extra == ExtraDrop {
				continue
			}
		}
		data := tbl.Column(i).Data()
		data.Retain()
		cols = append(cols, data)
		fields = append(fields, arrow.Field{Name: f.Name, Type: f.Type, Nullable: f.Nullable})
	}
	if !opt.AllowNonFinite {
		for i, c := range cols {
			if row, v := firstNonFinite(c); row > 0 {
				return nil, fmt.Errorf("row %d: column %q: %v is not a finite number", row, fields[i].Name, v)
			}
		}
	}
	schema := arrow.NewSchema(fields, md)
	acols := make([]arrow.Column, len(cols))
	for i := range cols {
		acols[i] = *arrow.NewColumn(fields[i], cols[i])
		defer acols[i].Release()
	}
	out := array.NewTable(schema, acols, tbl.NumRows())
	if err := checkTableRows(out); err != nil {
		out.Release()
		return nil, err
	}
	return out, nil
}

// checkTableRows enforces the row rules of tbl's contract, if any.
func checkTableRows(tbl arrow.Table) error {
	c := newRowChecker(tbl.Schema())
	if c == nil {
		return nil
	}
	tr := array.NewTableReader(tbl, 64*1024)
	defer tr.Release()
	base := 0
	for tr.Next() {
		rec := tr.RecordBatch()
		if err := c.batch(rec, rowPos{base: base}); err != nil {
			return err
		}
		base += int(rec.NumRows())
	}
	return tr.Err()
}

// firstNull returns the 1-based row of the first null in c, or 0.
func firstNull(c *arrow.Chunked) int {
	base := 0
	for _, a := range c.Chunks() {
		if a.NullN() > 0 {
			for j := 0; j < a.Len(); j++ {
				if a.IsNull(j) {
					return base + j + 1
				}
			}
		}
		base += a.Len()
	}
	return 0
}

// firstNonFinite returns the 1-based row and value of the first NaN or
// ±Inf in a float64 column, or 0.
func firstNonFinite(c *arrow.Chunked) (int, float64) {
	if c.DataType().ID() != arrow.FLOAT64 {
		return 0, 0
	}
	base := 0
	for _, a := range c.Chunks() {
		fa := a.(*array.Float64)
		for j, v := range fa.Float64Values() {
			if (math.IsNaN(v) || math.IsInf(v, 0)) && fa.IsValid(j) {
				return base + j + 1, v
			}
		}
		base += a.Len()
	}
	return 0, 0
}

// conformColumn returns data as field f's type. Widening conversions
// that other tools write (pandas and pyarrow: int32, float32, a whole
// float column stored as int64, large_utf8, dictionary-encoded strings)
// are cast safely; anything else is an error naming the column.
func conformColumn(data *arrow.Chunked, f arrow.Field, schema *arrow.Schema) (*arrow.Chunked, error) {
	got := data.DataType()
	if arrow.TypeEqual(got, f.Type) {
		data.Retain()
		return data, nil
	}
	if !castable(got, f.Type) {
		return nil, fmt.Errorf("column %q is %s, schema %s wants %s", f.Name, got, schemaName(schema), f.Type)
	}
	chunks := make([]arrow.Array, 0, len(data.Chunks()))
	defer func() {
		for _, c := range chunks {
			c.Release()
		}
	}()
	opts := compute.SafeCastOptions(f.Type)
	for _, c := range data.Chunks() {
		out, err := compute.CastArray(context.Background(), c, opts)
		if err != nil {
			return nil, fmt.Errorf("column %q: cannot convert %s to %s: %w", f.Name, got, f.Type, err)
		}
		chunks = append(chunks, out)
	}
	return arrow.NewChunked(f.Type, chunks), nil
}

// castable lists the conversions conformColumn accepts.
func castable(from, to arrow.DataType) bool {
	if d, ok := from.(*arrow.DictionaryType); ok {
		from = d.ValueType
	}
	switch to.ID() {
	case arrow.INT64:
		return arrow.IsInteger(from.ID())
	case arrow.FLOAT64:
		return arrow.IsInteger(from.ID()) || arrow.IsFloating(from.ID())
	case arrow.STRING:
		return from.ID() == arrow.STRING || from.ID() == arrow.LARGE_STRING
	}
	return false
}
