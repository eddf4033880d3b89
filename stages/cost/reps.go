package cost

import (
	"path/filepath"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	acost "github.com/tr119/tr119/analysis/cost"
	"github.com/tr119/tr119/artifacts"
)

// writeReps writes cost_reps/v1 with typed builders: it has a row per
// repetition (half a million for a million runs rows), too many to box
// every value as the small tables do.
func writeReps(dir, file string, res *acost.Result) error {
	schema := artifacts.CostRepsSchema()
	rb := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer rb.Release()
	str := func(i int) *array.StringBuilder { return rb.Field(i).(*array.StringBuilder) }
	i64 := func(i int) *array.Int64Builder { return rb.Field(i).(*array.Int64Builder) }
	f64 := func(i int) *array.Float64Builder { return rb.Field(i).(*array.Float64Builder) }
	for _, c := range res.Cells {
		for _, r := range c.Reps {
			str(0).Append(c.Backend)
			str(1).Append(c.Scenario)
			str(2).Append(c.Mode)
			str(3).Append(c.DeviceClass)
			i64(4).Append(r.Repetition)
			i64(5).Append(int64(r.Prompts))
			f64(6).Append(r.Tokens)
			f64(7).Append(r.Seconds)
			if c.Reason == "" {
				f64(8).Append(r.EnergyJ)
			} else {
				f64(8).AppendNull()
			}
		}
	}
	rec := rb.NewRecordBatch()
	defer rec.Release()
	return artifacts.WriteRecords(filepath.Join(dir, file), schema, []arrow.RecordBatch{rec})
}
