package artifacts

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestConvertTableFileMatchesWriteParquet(t *testing.T) {
	dir := t.TempDir()
	// More rows than one row group, so batches are cut and streamed.
	var big strings.Builder
	big.WriteString("id,n,x,ok,note\n")
	for i := 0; i < parquetRowGroupRows+1000; i++ {
		fmt.Fprintf(&big, "r%d,%d,%g,%v,\n", i, i, float64(i)/7, i%3 == 0)
	}
	var jsonl strings.Builder
	for i := 0; i < 10; i++ {
		fmt.Fprintf(&jsonl, `{"id":"r%d","n":%d,"note":"","extra":%d}`+"\n", i, i, i*2)
	}
	small := ReadOptions{Schema: smallSchema()}
	tests := []struct {
		name, file, content string
		format              Format
		opt                 ReadOptions
		rows                int64
	}{
		{"runs", "runs.csv", "", FormatCSV, ReadOptions{Schema: RunsSchema()}, 24},
		{"big", "big.csv", big.String(), FormatCSV, small, parquetRowGroupRows + 1000},
		{"header only", "h.csv", "id,n,note\n", FormatCSV, small, 0},
		{"inferred", "i.csv", "a,b\n1,x\n2,\n", FormatCSV, ReadOptions{}, 2},
		{"jsonl", "j.jsonl", jsonl.String(), FormatJSONL, small, 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "testdata/runs_small.csv"
			if tt.content != "" {
				src = filepath.Join(dir, tt.file)
				os.WriteFile(src, []byte(tt.content), 0o644)
			}
			streamed := filepath.Join(dir, tt.name+".stream.parquet")
			s, rows, err := ConvertTableFile(src, tt.format, tt.opt, streamed)
			if err != nil {
				t.Fatal(err)
			}
			if rows != tt.rows {
				t.Errorf("rows = %d, want %d", rows, tt.rows)
			}
			tbl, err := ReadTableFile(src, tt.format, tt.opt)
			if err != nil {
				t.Fatal(err)
			}
			defer tbl.Release()
			if !s.Equal(tbl.Schema()) {
				t.Errorf("schema %s, want %s", s, tbl.Schema())
			}
			whole := filepath.Join(dir, tt.name+".whole.parquet")
			if err := WriteParquet(whole, tbl); err != nil {
				t.Fatal(err)
			}
			a, _ := os.ReadFile(streamed)
			b, _ := os.ReadFile(whole)
			if !bytes.Equal(a, b) {
				t.Errorf("streamed file (%d bytes) differs from WriteParquet's (%d bytes)", len(a), len(b))
			}
		})
	}
}

func TestConvertTableFileError(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "bad.csv")
	os.WriteFile(src, []byte("id,n,note\na,1,\nb,x,\n"), 0o644)
	dst := filepath.Join(dir, "out.parquet")
	_, _, err := ConvertTableFile(src, FormatCSV, ReadOptions{Schema: smallSchema()}, dst)
	if err == nil || err.Error() != `bad.csv:3: column "n": "x" is not an integer` {
		t.Fatalf("err = %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("left behind: %d entries, want only bad.csv", len(entries))
	}
}
