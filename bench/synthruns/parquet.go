package synthruns

import (
	"fmt"
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/tr119/tr119/artifacts"
)

// WriteParquet writes the rows as a runs/v2 Parquet table at path.
func WriteParquet(path string, cfg Config) error {
	cols, err := columns()
	if err != nil {
		return err
	}
	schema := artifacts.RunsSchema()
	rb := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer rb.Release()
	var recs []arrow.RecordBatch
	n := 0
	flush := func() {
		recs = append(recs, rb.NewRecordBatch())
		n = 0
	}
	Each(cfg, func(r *Row) {
		for i, c := range cols {
			switch fb := rb.Field(i).(type) {
			case *array.StringBuilder:
				if c.s == nil {
					fb.Append("")
				} else {
					fb.Append(c.s(r))
				}
			case *array.Int64Builder:
				if c.i == nil {
					fb.AppendNull()
				} else {
					fb.Append(c.i(r))
				}
			case *array.Float64Builder:
				if c.f == nil {
					fb.AppendNull()
				} else if v := c.f(r); math.IsNaN(v) {
					fb.AppendNull()
				} else {
					fb.Append(v)
				}
			case *array.BooleanBuilder:
				fb.Append(c.b(r))
			}
		}
		if n++; n == 64*1024 {
			flush()
		}
	})
	if n > 0 {
		flush()
	}
	defer func() {
		for _, r := range recs {
			r.Release()
		}
	}()
	if err := artifacts.WriteRecords(path, schema, recs); err != nil {
		return fmt.Errorf("synthruns: %w", err)
	}
	return nil
}
