package artifacts

import (
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

func TestReadParquetColumns(t *testing.T) {
	md := arrow.NewMetadata([]string{SchemaKey}, []string{"test/v1"})
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "a", Type: arrow.PrimitiveTypes.Int64},
		{Name: "b", Type: arrow.BinaryTypes.String},
		{Name: "c", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	}, &md)
	rb := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer rb.Release()
	rb.Field(0).(*array.Int64Builder).AppendValues([]int64{1, 2}, nil)
	rb.Field(1).(*array.StringBuilder).AppendValues([]string{"x", "y"}, nil)
	rb.Field(2).(*array.Float64Builder).AppendValues([]float64{0.5, 0}, []bool{true, false})
	rec := rb.NewRecordBatch()
	defer rec.Release()
	path := filepath.Join(t.TempDir(), "t.parquet")
	if err := WriteRecords(path, schema, []arrow.RecordBatch{rec}); err != nil {
		t.Fatal(err)
	}
	tbl, err := ReadParquetColumns(path, []string{"c", "a", "missing"})
	if err != nil {
		t.Fatal(err)
	}
	defer tbl.Release()
	if got := SchemaVersion(tbl.Schema()); got != "test/v1" {
		t.Errorf("version %q", got)
	}
	if tbl.NumCols() != 2 || tbl.NumRows() != 2 {
		t.Fatalf("%d columns, %d rows", tbl.NumCols(), tbl.NumRows())
	}
	c, valid, err := Float64Col(tbl, "c")
	if err != nil || c[0] != 0.5 || valid[1] {
		t.Errorf("c = %v %v %v", c, valid, err)
	}
	if _, _, err := StringCol(tbl, "b"); err == nil {
		t.Error("unread column b found")
	}
}
