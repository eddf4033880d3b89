package artifacts

import (
	"math"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// oneColumn returns a one-column table "c" holding arr.
func oneColumn(arr arrow.Array) arrow.Table {
	defer arr.Release()
	s := arrow.NewSchema([]arrow.Field{{Name: "c", Type: arr.DataType(), Nullable: true}}, nil)
	rec := array.NewRecordBatch(s, []arrow.Array{arr}, int64(arr.Len()))
	defer rec.Release()
	return array.NewTableFromRecords(s, []arrow.RecordBatch{rec})
}

func TestConformCasts(t *testing.T) {
	mem := memory.DefaultAllocator
	build := func(dt arrow.DataType, fill func(array.Builder)) arrow.Array {
		b := array.NewBuilder(mem, dt)
		defer b.Release()
		fill(b)
		return b.NewArray()
	}
	dict := func() arrow.Array {
		b := array.NewDictionaryBuilder(mem, &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int8, ValueType: arrow.BinaryTypes.String})
		defer b.Release()
		sb := b.(*array.BinaryDictionaryBuilder)
		sb.AppendString("x")
		sb.AppendString("y")
		sb.AppendString("x")
		return b.NewArray()
	}
	tests := []struct {
		name    string
		arr     arrow.Array
		want    arrow.DataType
		check   string // the column as text, comma-joined
		wantErr string
	}{
		{"int32 to int64", build(arrow.PrimitiveTypes.Int32, func(b array.Builder) { b.(*array.Int32Builder).AppendValues([]int32{1, -2}, nil) }), arrow.PrimitiveTypes.Int64, "1,-2", ""},
		{"int64 to float64", build(arrow.PrimitiveTypes.Int64, func(b array.Builder) { b.(*array.Int64Builder).AppendValues([]int64{14, 3}, nil) }), arrow.PrimitiveTypes.Float64, "14,3", ""},
		{"float32 to float64", build(arrow.PrimitiveTypes.Float32, func(b array.Builder) { b.(*array.Float32Builder).AppendValues([]float32{0.5, 2}, nil) }), arrow.PrimitiveTypes.Float64, "0.5,2", ""},
		{"large string", build(arrow.BinaryTypes.LargeString, func(b array.Builder) { b.(*array.LargeStringBuilder).AppendValues([]string{"a", "b"}, nil) }), arrow.BinaryTypes.String, "a,b", ""},
		{"dictionary", dict(), arrow.BinaryTypes.String, "x,y,x", ""},
		{"uint64 overflow", build(arrow.PrimitiveTypes.Uint64, func(b array.Builder) { b.(*array.Uint64Builder).AppendValues([]uint64{math.MaxUint64}, nil) }), arrow.PrimitiveTypes.Int64, "", `column "c": cannot convert uint64 to int64`},
		{"float to int", build(arrow.PrimitiveTypes.Float64, func(b array.Builder) { b.(*array.Float64Builder).AppendValues([]float64{1.5}, nil) }), arrow.PrimitiveTypes.Int64, "", `column "c" is float64, schema (unnamed) wants int64`},
		{"bool to string", build(arrow.FixedWidthTypes.Boolean, func(b array.Builder) { b.(*array.BooleanBuilder).Append(true) }), arrow.BinaryTypes.String, "", `column "c" is bool, schema (unnamed) wants utf8`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tbl := oneColumn(tt.arr)
			defer tbl.Release()
			s := arrow.NewSchema([]arrow.Field{{Name: "c", Type: tt.want, Nullable: true}}, nil)
			out, err := ConformTable(tbl, ReadOptions{Schema: s})
			if tt.wantErr != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer out.Release()
			if !arrow.TypeEqual(out.Schema().Field(0).Type, tt.want) {
				t.Fatalf("type %s", out.Schema().Field(0).Type)
			}
			var got []string
			a := out.Column(0).Data().Chunk(0)
			for i := 0; i < a.Len(); i++ {
				got = append(got, textValue(a, i))
			}
			if strings.Join(got, ",") != tt.check {
				t.Errorf("values %v, want %s", got, tt.check)
			}
		})
	}
}
