package artifacts

import (
	"path/filepath"
	"testing"
)

// BenchmarkImportCSVRuns1M converts a 1,000,000-row runs/v1 CSV, checked
// against the schema, to Parquet as `import` does (streamed a row group at
// a time). peak-rss-MiB is the process's high-water mark: run one
// benchmark alone (-bench ImportCSV) for a meaningful figure.
func BenchmarkImportCSVRuns1M(b *testing.B) {
	path := filepath.Join(b.TempDir(), "runs.csv")
	tbl := syntheticRuns(b, benchRuns, 64*1024)
	if err := WriteCSVFile(path, tbl); err != nil {
		b.Fatal(err)
	}
	tbl.Release()
	dst := filepath.Join(b.TempDir(), "runs.parquet")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, _, err := ConvertTableFile(path, FormatCSV, ReadOptions{Schema: RunsSchema()}, dst); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(peakRSSMiB(), "peak-rss-MiB")
}

// BenchmarkWriteCSVRuns1M exports a 1,000,000-row runs/v1 table as CSV.
func BenchmarkWriteCSVRuns1M(b *testing.B) {
	path := filepath.Join(b.TempDir(), "runs.csv")
	tbl := syntheticRuns(b, benchRuns, 64*1024)
	defer tbl.Release()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := WriteCSVFile(path, tbl); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(peakRSSMiB(), "peak-rss-MiB")
}

// BenchmarkImportJSONLRuns100K converts a 100,000-row runs/v1 JSON-lines
// file to Parquet as `import` does.
func BenchmarkImportJSONLRuns100K(b *testing.B) {
	path := filepath.Join(b.TempDir(), "runs.jsonl")
	tbl := syntheticRuns(b, 100_000, 64*1024)
	if err := WriteJSONLFile(path, tbl); err != nil {
		b.Fatal(err)
	}
	tbl.Release()
	dst := filepath.Join(b.TempDir(), "runs.parquet")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, _, err := ConvertTableFile(path, FormatJSONL, ReadOptions{Schema: RunsSchema()}, dst); err != nil {
			b.Fatal(err)
		}
	}
}
