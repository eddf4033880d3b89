package artifacts

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
)

// mutateRuns returns runs_small.csv with column col of data row row
// (from 1) set to value; row 0 changes nothing; dup appends a copy of the
// first data row.
func mutateRuns(t *testing.T, row int, col, value string, dup bool) [][]string {
	t.Helper()
	f, err := os.Open("testdata/runs_small.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if row > 0 {
		i := slices.Index(recs[0], col)
		if i < 0 {
			t.Fatalf("no column %s", col)
		}
		recs[row][i] = value
	}
	if dup {
		recs = append(recs, slices.Clone(recs[1]))
	}
	return recs
}

func writeCSVRecords(t *testing.T, recs [][]string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "runs.csv")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	w := csv.NewWriter(f)
	w.WriteAll(recs)
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestRunsContractOnImport: values the runs contract forbids are refused
// on import with file:line and the column, whatever allow_non_finite says.
func TestRunsContractOnImport(t *testing.T) {
	tests := []struct {
		row       int
		col, val  string
		dup       bool
		wantError string
		also      string // a second part of the message, if any
	}{
		{row: 2, col: "status", val: "okay", wantError: `runs.csv:3: column "status": "okay" is not one of ok, degraded`},
		{row: 3, col: "repetition", val: "-1", wantError: `runs.csv:4: column "repetition": -1 is below 0`},
		{row: 1, col: "peak_rss_bytes", val: "-100", wantError: `runs.csv:2: column "peak_rss_bytes": -100 is below 0`},
		{row: 5, col: "system_cpu_util", val: "2.5", wantError: `runs.csv:6: column "system_cpu_util": 2.5 is outside 0 to 1`},
		{row: 4, col: "backend", val: "", wantError: `runs.csv:5: column "backend": must not be empty`},
		{row: 1, col: "mode", val: "decoding", wantError: `runs.csv:2: column "mode": "decoding" is not one of prefill, generate, decode`},
		{row: 1, col: "latency_ms", val: "1e308", wantError: `runs.csv:2: column "latency_ms": 1e+308 is outside 0 to 1e+15`},
		{row: 1, col: "latency_ms", val: "-Inf", wantError: `runs.csv:2: column "latency_ms": `, also: "is not a finite number"},
		{row: 1, col: "gpu_source", val: "guessed", wantError: `runs.csv:2: column "gpu_source": "guessed" is not one of measured_counter`},
		{dup: true, wantError: `runs.csv:26: run_id "onnxruntime-cpu/single_short/prefill/w1" with prompt_index 0 appears twice (first at runs.csv:2)`},
	}
	for _, tt := range tests {
		t.Run(tt.col+"="+tt.val, func(t *testing.T) {
			p := writeCSVRecords(t, mutateRuns(t, tt.row, tt.col, tt.val, tt.dup))
			for _, allow := range []bool{false, true} {
				_, _, err := ConvertTableFile(p, FormatCSV, ReadOptions{Schema: RunsSchema(), AllowNonFinite: allow}, filepath.Join(t.TempDir(), "out.parquet"))
				if err == nil || !strings.Contains(err.Error(), tt.wantError) || !strings.Contains(err.Error(), tt.also) {
					t.Errorf("allow_non_finite=%v: got %v, want %q", allow, err, tt.wantError)
				}
			}
		})
	}
	// The unchanged file passes, and so does active energy below zero
	// (not clamped, per the contract).
	for _, recs := range [][][]string{mutateRuns(t, 0, "", "", false), mutateRuns(t, 1, "cpu_package_energy_active_j", "-0.01", false)} {
		p := writeCSVRecords(t, recs)
		if _, _, err := ConvertTableFile(p, FormatCSV, ReadOptions{Schema: RunsSchema()}, filepath.Join(t.TempDir(), "out.parquet")); err != nil {
			t.Errorf("valid runs refused: %v", err)
		}
	}
}

// TestRunsContractParquetAndJSONL: the same rules hold for Parquet
// (rows counted from 1) and JSON lines (by line).
func TestRunsContractParquetAndJSONL(t *testing.T) {
	p := writeCSVRecords(t, mutateRuns(t, 2, "status", "okay", false))
	// The contract's types without its version: no row rules.
	tbl, err := ReadCSV(p, ReadOptions{Schema: arrow.NewSchema(RunsSchema().Fields(), nil)})
	if err != nil {
		t.Fatal(err)
	}
	defer tbl.Release()
	pq := filepath.Join(t.TempDir(), "runs.parquet")
	if err := WriteParquet(pq, tbl); err != nil {
		t.Fatal(err)
	}
	_, err = ReadTableFile(pq, FormatParquet, ReadOptions{Schema: RunsSchema()})
	if want := `runs.parquet: row 2: column "status": "okay" is not one of ok, degraded`; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("parquet: got %v, want %q", err, want)
	}
	jl := filepath.Join(t.TempDir(), "runs.jsonl")
	if err := WriteJSONLFile(jl, tbl); err != nil {
		t.Fatal(err)
	}
	_, err = ReadJSONL(jl, ReadOptions{Schema: RunsSchema()})
	if want := `runs.jsonl:2: column "status": "okay" is not one of ok, degraded`; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("jsonl: got %v, want %q", err, want)
	}
}

// FuzzImportRuns imports arbitrary text as a runs/v2 CSV: no input may
// crash, and whatever is accepted satisfies the contract when read back.
func FuzzImportRuns(f *testing.F) {
	good, err := os.ReadFile("testdata/runs_small.csv")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add(good[:bytes.IndexByte(good, '\n')+1])
	f.Add(bytes.Replace(good, []byte(",ok,"), []byte(",okay,"), 1))
	f.Add(bytes.Replace(good, []byte(",13.6,"), []byte(",1e308,"), 1))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		src := filepath.Join(dir, "runs.csv")
		if err := os.WriteFile(src, data, 0o644); err != nil {
			t.Fatal(err)
		}
		dst := filepath.Join(dir, "runs.parquet")
		if _, _, err := ConvertTableFile(src, FormatCSV, ReadOptions{Schema: RunsSchema()}, dst); err != nil {
			return
		}
		tbl, err := ReadTableFile(dst, FormatParquet, ReadOptions{Schema: RunsSchema()})
		if err != nil {
			t.Fatalf("accepted runs do not read back under the contract: %v", err)
		}
		tbl.Release()
	})
}
