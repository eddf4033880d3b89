package artifacts

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// syntheticRuns builds a runs/v1 table of n rows, split into chunks of at
// most chunk rows, with nulls where a runs table has them.
func syntheticRuns(tb testing.TB, n, chunk int) arrow.Table {
	tb.Helper()
	s := RunsSchema()
	var recs []arrow.RecordBatch
	b := NewBuilder(s)
	defer b.Release()
	modes := []string{ModePrefill, ModeGenerate, ModeDecode}
	fields := s.Fields()
	modeIdx := s.FieldIndices(ColMode)[0]
	var decodeOnly []int
	for _, c := range []string{ColTTFTMS, ColITLMeanMS, ColITLP50MS, ColITLP99MS} {
		decodeOnly = append(decodeOnly, s.FieldIndices(c)[0])
	}
	row := make([]any, len(fields))
	for i := 0; i < n; i++ {
		mode := modes[i%3]
		for j, f := range fields {
			switch f.Type.ID() {
			case arrow.STRING:
				row[j] = f.Name + "-" + fmt.Sprint(i%7)
			case arrow.INT64:
				row[j] = int64(i % 97)
			case arrow.FLOAT64:
				row[j] = float64(i%1013) * 0.37
			case arrow.BOOL:
				row[j] = i%11 == 0
			}
		}
		row[0] = fmt.Sprintf("run-%08d", i)
		row[modeIdx] = mode
		// Values the runs contract constrains (import checks them).
		for j, f := range fields {
			switch {
			case f.Name == ColDeviceClass:
				row[j] = "cpu"
			case f.Name == ColStatus:
				row[j] = StatusOK
			case strings.HasSuffix(f.Name, "_"+SufSource):
				row[j] = SourceCounter
			case f.Name == ColBatchSize:
				row[j] = int64(i%97 + 1)
			case f.Name == ColSystemCPUUtil:
				row[j] = float64(i%101) / 100
			}
		}
		if mode == ModePrefill {
			for _, j := range decodeOnly {
				row[j] = nil
			}
		}
		if err := b.Append(row...); err != nil {
			tb.Fatal(err)
		}
		if b.Len() == chunk {
			t := b.Table()
			recs = append(recs, tableRecord(tb, t))
			t.Release()
		}
	}
	if b.Len() > 0 || len(recs) == 0 {
		t := b.Table()
		recs = append(recs, tableRecord(tb, t))
		t.Release()
	}
	defer func() {
		for _, r := range recs {
			r.Release()
		}
	}()
	return array.NewTableFromRecords(s, recs)
}

// tableRecord returns the single record of a one-chunk table.
func tableRecord(tb testing.TB, t arrow.Table) arrow.RecordBatch {
	tb.Helper()
	tr := array.NewTableReader(t, t.NumRows())
	defer tr.Release()
	if !tr.Next() {
		tb.Fatal("empty table")
	}
	r := tr.RecordBatch()
	r.Retain()
	return r
}

func TestWriteParquetDeterministic(t *testing.T) {
	dir := t.TempDir()
	a := syntheticRuns(t, 3000, 3000)
	defer a.Release()
	b := syntheticRuns(t, 3000, 257) // same values, other chunking
	defer b.Release()
	paths := []string{filepath.Join(dir, "a1.parquet"), filepath.Join(dir, "a2.parquet"), filepath.Join(dir, "b.parquet")}
	for i, tbl := range []arrow.Table{a, a, b} {
		if err := WriteParquet(paths[i], tbl); err != nil {
			t.Fatal(err)
		}
	}
	first, _ := os.ReadFile(paths[0])
	for _, p := range paths[1:] {
		got, _ := os.ReadFile(p)
		if !bytes.Equal(first, got) {
			t.Errorf("%s differs from %s", filepath.Base(p), filepath.Base(paths[0]))
		}
	}
	if !bytes.Contains(first, []byte(parquetCreatedBy)) {
		t.Error("created_by not pinned")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 3 {
		t.Errorf("temp files left behind: %d entries", len(entries))
	}
}

func TestParquetRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "runs.parquet")
	in := syntheticRuns(t, 500, 100)
	defer in.Release()
	if err := WriteParquet(path, in); err != nil {
		t.Fatal(err)
	}
	out, err := ReadParquet(path)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Release()
	if got := SchemaVersion(out.Schema()); got != RunsVersion {
		t.Errorf("SchemaVersion = %q, want %q", got, RunsVersion)
	}
	if !array.TableEqual(in, out) {
		t.Errorf("round trip changed the table:\nin  %s\nout %s", in.Schema(), out.Schema())
	}
	s, rows, err := ReadParquetSchema(path)
	if err != nil || rows != 500 || SchemaVersion(s) != RunsVersion {
		t.Errorf("ReadParquetSchema = %v rows, version %q, err %v", rows, SchemaVersion(s), err)
	}
	ttft, valid, err := Float64Col(out, ColTTFTMS)
	if err != nil || len(ttft) != 500 || valid[0] || !valid[1] {
		t.Errorf("Float64Col(ttft): len %d valid[0]=%v valid[1]=%v err %v", len(ttft), valid[0], valid[1], err)
	}
}

func TestWriteParquetKeepsOldFileOnError(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.parquet")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	// A schema Parquet cannot hold makes the writer fail.
	s := arrow.NewSchema([]arrow.Field{{Name: "x", Type: arrow.StructOf()}}, nil)
	tbl := array.NewTableFromRecords(s, nil)
	defer tbl.Release()
	if err := WriteParquet(path, tbl); err == nil {
		t.Fatal("want an error for an empty struct column")
	}
	got, _ := os.ReadFile(path)
	if string(got) != "old" {
		t.Errorf("old file changed: %q", got)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("temp file left behind: %d entries", len(entries))
	}
}

func TestReadParquetBadFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.parquet")
	os.WriteFile(path, []byte("not parquet at all"), 0o644)
	_, err := ReadParquet(path)
	if err == nil || !strings.Contains(err.Error(), "bad.parquet") {
		t.Errorf("err = %v, want one naming the file", err)
	}
}

func TestColumnGetters(t *testing.T) {
	tbl := syntheticRuns(t, 10, 4)
	defer tbl.Release()
	tests := []struct {
		name    string
		get     func() error
		wantErr string
	}{
		{"float ok", func() error { _, _, err := Float64Col(tbl, ColLatencyMS); return err }, ""},
		{"int ok", func() error { _, _, err := Int64Col(tbl, ColTokens); return err }, ""},
		{"string ok", func() error { _, _, err := StringCol(tbl, ColMode); return err }, ""},
		{"bool ok", func() error { _, _, err := BoolCol(tbl, ColWarmup); return err }, ""},
		{"missing", func() error { _, _, err := Float64Col(tbl, "nope"); return err }, `column "nope" missing`},
		{"wrong type", func() error { _, _, err := Float64Col(tbl, ColTokens); return err }, `column "tokens" is int64, want float64`},
		{"string wrong", func() error { _, _, err := StringCol(tbl, ColWarmup); return err }, `column "warmup" is bool, want utf8`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.get()
			if tt.wantErr == "" && err != nil {
				t.Fatal(err)
			}
			if tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("err = %v, want %q", err, tt.wantErr)
			}
		})
	}
	modes, _, _ := StringCol(tbl, ColMode)
	if len(modes) != 10 || modes[0] != ModePrefill || modes[4] != ModeGenerate {
		t.Errorf("modes across chunks = %v", modes)
	}
}

func TestBuilderRejects(t *testing.T) {
	s := arrow.NewSchema([]arrow.Field{
		{Name: "a", Type: arrow.BinaryTypes.String},
		{Name: "b", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	}, nil)
	tests := []struct {
		name    string
		row     []any
		wantErr string
	}{
		{"ok", []any{"x", 1.5}, ""},
		{"null ok", []any{"x", nil}, ""},
		{"null not allowed", []any{nil, 1.0}, `column "a": null in a non-nullable column`},
		{"wrong type", []any{"x", "y"}, `column "b": string value for a float64 column`},
		{"arity", []any{"x"}, "1 values for 2 columns"},
	}
	b := NewBuilder(s)
	defer b.Release()
	for _, tt := range tests {
		err := b.Append(tt.row...)
		if (tt.wantErr == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tt.wantErr)) {
			t.Errorf("%s: err = %v, want %q", tt.name, err, tt.wantErr)
		}
	}
	if b.Len() != 2 {
		t.Errorf("rejected rows were appended: len %d, want 2", b.Len())
	}
}

func TestNewTable(t *testing.T) {
	s := arrow.NewSchema([]arrow.Field{
		{Name: "a", Type: arrow.BinaryTypes.String},
		{Name: "b", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	}, nil)
	tests := []struct {
		name    string
		cols    []Column
		wantErr string
	}{
		{"ok", []Column{{Values: []string{"x", "y"}}, {Values: []float64{1, 2}, Valid: []bool{true, false}}}, ""},
		{"lengths", []Column{{Values: []string{"x"}}, {Values: []float64{1, 2}}}, `column "b" has 2 rows, column "a" has 1`},
		{"type", []Column{{Values: []int64{1}}, {Values: []float64{1}}}, `column "a": []int64 values for a utf8 column`},
		{"validity", []Column{{Values: []string{"x"}}, {Values: []float64{1}, Valid: []bool{true, true}}}, `column "b": 1 values but 2 validity flags`},
		{"null", []Column{{Values: []string{"x"}, Valid: []bool{false}}, {Values: []float64{1}}}, `column "a": null in a non-nullable column`},
		{"count", []Column{{Values: []string{"x"}}}, "1 columns for a schema of 2"},
	}
	for _, tt := range tests {
		tbl, err := NewTable(s, tt.cols...)
		if (tt.wantErr == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tt.wantErr)) {
			t.Errorf("%s: err = %v, want %q", tt.name, err, tt.wantErr)
		}
		if tbl != nil {
			if tbl.NumRows() != 2 {
				t.Errorf("%s: rows = %d", tt.name, tbl.NumRows())
			}
			tbl.Release()
		}
	}
}

func TestWriteRecords(t *testing.T) {
	dir := t.TempDir()
	tbl := syntheticRuns(t, 700, 300)
	defer tbl.Release()
	var recs []arrow.RecordBatch
	tr := array.NewTableReader(tbl, 300)
	for tr.Next() {
		r := tr.RecordBatch()
		r.Retain()
		recs = append(recs, r)
	}
	tr.Release()
	defer func() {
		for _, r := range recs {
			r.Release()
		}
	}()
	a, b := filepath.Join(dir, "a.parquet"), filepath.Join(dir, "b.parquet")
	if err := WriteRecords(a, tbl.Schema(), recs); err != nil {
		t.Fatal(err)
	}
	if err := WriteParquet(b, tbl); err != nil {
		t.Fatal(err)
	}
	ab, _ := os.ReadFile(a)
	bb, _ := os.ReadFile(b)
	if !bytes.Equal(ab, bb) {
		t.Error("WriteRecords and WriteParquet of the same rows differ")
	}
	other := arrow.NewSchema([]arrow.Field{{Name: "x", Type: arrow.PrimitiveTypes.Int64}}, nil)
	err := WriteRecords(filepath.Join(dir, "c.parquet"), other, recs)
	if err == nil || !strings.Contains(err.Error(), "record 0: schema differs") {
		t.Errorf("err = %v, want a schema mismatch", err)
	}
}
