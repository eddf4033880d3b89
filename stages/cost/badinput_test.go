package cost

import (
	"context"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/tr119/tr119/artifacts"
	"github.com/tr119/tr119/stages/internal/analysistest"
)

// rewrite writes the Small runs table with column col replaced by the
// result of edit (nil: the column is dropped) and returns its path.
func rewrite(t *testing.T, col string, edit func(arrow.Array) arrow.Array) string {
	t.Helper()
	dir := t.TempDir()
	src := analysistest.RunsArtifact(t, dir, analysistest.Small())
	tbl, err := artifacts.ReadParquet(src.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer tbl.Release()
	var fields []arrow.Field
	var cols []arrow.Column
	for i, f := range tbl.Schema().Fields() {
		c := tbl.Column(i)
		if f.Name == col {
			if edit == nil {
				continue
			}
			whole, err := array.Concatenate(c.Data().Chunks(), memory.DefaultAllocator)
			if err != nil {
				t.Fatal(err)
			}
			a := edit(whole)
			f = arrow.Field{Name: f.Name, Type: a.DataType(), Nullable: true}
			c = arrow.NewColumn(f, arrow.NewChunked(a.DataType(), []arrow.Array{a}))
		}
		fields = append(fields, f)
		cols = append(cols, *c)
	}
	md := tbl.Schema().Metadata()
	out := array.NewTable(arrow.NewSchema(fields, &md), cols, tbl.NumRows())
	defer out.Release()
	p := filepath.Join(dir, "bad.parquet")
	if err := artifacts.WriteParquet(p, out); err != nil {
		t.Fatal(err)
	}
	return p
}

// setFloat returns a float64 array equal to a except row 5 (the 6th).
func setFloat(v float64) func(arrow.Array) arrow.Array {
	return func(a arrow.Array) arrow.Array {
		f := a.(*array.Float64)
		b := array.NewFloat64Builder(memory.DefaultAllocator)
		for i := 0; i < f.Len(); i++ {
			if i == 5 {
				b.Append(v)
			} else {
				b.Append(f.Value(i))
			}
		}
		return b.NewArray()
	}
}

func TestRunBadRunsTables(t *testing.T) {
	asString := func(a arrow.Array) arrow.Array {
		b := array.NewStringBuilder(memory.DefaultAllocator)
		for i := 0; i < a.Len(); i++ {
			b.Append("12")
		}
		return b.NewArray()
	}
	tests := []struct {
		name string
		col  string
		edit func(arrow.Array) arrow.Array
		want string
	}{
		{"missing column", artifacts.ColTokens, nil, `column "tokens" missing`},
		{"wrong type", artifacts.ColLatencyMS, asString, `column "latency_ms" is utf8, want float64`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := rewrite(t, tt.col, tt.edit)
			cfg := testConfig(analysistest.List(analysistest.FileArtifact(t, p, "stage.import.bad")))
			_, err := New().Run(context.Background(), analysistest.Run(t, cfg))
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "bad.parquet") {
				t.Errorf("error %v, want the file and %q", err, tt.want)
			}
		})
	}
}

func TestRunBadValues(t *testing.T) {
	// The Small table's first cell starts with 2 warmups x 2 prompts
	// (rows 1-4); row 6 (index 5) is counted.
	tests := []struct {
		name string
		col  string
		v    float64
		want string
	}{
		{"NaN throughput", artifacts.ColThroughput, math.NaN(), `runs row 6 (run_id "syn-6"), column "throughput_tok_s": NaN`},
		{"zero throughput", artifacts.ColThroughput, 0, `runs row 6 (run_id "syn-6"), column "throughput_tok_s": 0`},
		{"negative latency", artifacts.ColLatencyMS, -1, `runs row 6 (run_id "syn-6"), column "latency_ms": -1`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := rewrite(t, tt.col, setFloat(tt.v))
			cfg := testConfig(analysistest.List(analysistest.FileArtifact(t, p, "stage.import.bad")))
			_, err := New().Run(context.Background(), analysistest.Run(t, cfg))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want %q", err, tt.want)
			}
		})
	}
}

func TestRunEmptyRunsTable(t *testing.T) {
	b := artifacts.NewBuilder(artifacts.RunsSchema())
	defer b.Release()
	tbl := b.Table()
	defer tbl.Release()
	p := filepath.Join(t.TempDir(), "empty.parquet")
	if err := artifacts.WriteParquet(p, tbl); err != nil {
		t.Fatal(err)
	}
	cfg := testConfig(analysistest.List(analysistest.FileArtifact(t, p, "stage.import.empty")))
	_, err := New().Run(context.Background(), analysistest.Run(t, cfg))
	if err == nil || !strings.Contains(err.Error(), "empty.parquet: runs table is empty") {
		t.Errorf("error %v", err)
	}
}
