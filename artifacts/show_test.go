package artifacts

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tr119/tr119/internal/golden"
)

// checkGolden compares got with testdata/name, or rewrites it with -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", name), got)
}

// runsSmallParquet imports testdata/runs_small.csv as runs/v1 into a
// Parquet file and returns its path.
func runsSmallParquet(t *testing.T) string {
	t.Helper()
	tbl, err := ReadCSV("testdata/runs_small.csv", ReadOptions{Schema: RunsSchema()})
	if err != nil {
		t.Fatal(err)
	}
	defer tbl.Release()
	p := filepath.Join(t.TempDir(), "runs.parquet")
	if err := WriteParquet(p, tbl); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestShowTableGolden(t *testing.T) {
	p := runsSmallParquet(t)
	tests := []struct {
		golden  string
		maxRows int
	}{
		{"show_runs_small.golden", 4},
		{"show_runs_small_norows.golden", 0},
	}
	for _, tt := range tests {
		var buf bytes.Buffer
		if err := ShowTable(&buf, p, tt.maxRows); err != nil {
			t.Fatal(err)
		}
		checkGolden(t, tt.golden, buf.Bytes())
	}
}

func TestShowTableInferred(t *testing.T) {
	src := writeTemp(t, "x.csv", "name,score,ok\nalpha,1.5,true\n\"a long name that will not fit in one cell of the show table\",,false\n")
	tbl, err := ReadCSV(src, ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer tbl.Release()
	p := filepath.Join(t.TempDir(), "x.parquet")
	if err := WriteParquet(p, tbl); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := ShowTable(&buf, p, 10); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "show_inferred.golden", buf.Bytes())
}

func TestShowTableNotParquet(t *testing.T) {
	p := writeTemp(t, "x.parquet", "nope")
	if err := ShowTable(new(bytes.Buffer), p, 3); err == nil {
		t.Fatal("want an error for a file that is not Parquet")
	}
}

func TestShowOptionsGolden(t *testing.T) {
	p := runsSmallParquet(t)
	tests := []struct {
		golden string
		opt    ShowOptions
	}{
		{"show_columns_where.golden", ShowOptions{Rows: 3, Columns: []string{"run_id", "mode", "latency_ms"}, Where: []string{"warmup=false", "prompt_index!=0"}}},
		{"show_json.golden", ShowOptions{Rows: 2, Columns: []string{"run_id", "latency_ms", "ttft_ms", "warmup"}, JSON: true}},
		{"show_wide_records.golden", ShowOptions{Rows: 1, Width: 80}},
		{"show_summary.golden", ShowOptions{Summary: true, Columns: []string{"mode", "latency_ms", "status", "peak_rss_bytes"}, Where: []string{"warmup=false"}}},
	}
	for _, tt := range tests {
		var buf bytes.Buffer
		if err := Show(&buf, p, tt.opt); err != nil {
			t.Fatal(err)
		}
		checkGolden(t, tt.golden, buf.Bytes())
	}
}

func TestShowOptionsErrors(t *testing.T) {
	p := runsSmallParquet(t)
	for _, opt := range []ShowOptions{
		{Columns: []string{"nosuch"}},
		{Where: []string{"nosuch=1"}},
		{Where: []string{"mode"}},
	} {
		err := Show(new(bytes.Buffer), p, opt)
		if err == nil || !strings.Contains(err.Error(), "nosuch") && !strings.Contains(err.Error(), "want column=value") {
			t.Errorf("%+v: got %v, want an error naming the column", opt, err)
		}
	}
}
