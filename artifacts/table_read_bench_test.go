package artifacts

import (
	"path/filepath"
	"testing"
)

// BenchmarkReadCSVRuns1M imports a 1,000,000-row runs/v1 CSV against the
// schema, as `import` does for runs measured elsewhere.
func BenchmarkReadCSVRuns1M(b *testing.B) {
	path := filepath.Join(b.TempDir(), "runs.csv")
	tbl := syntheticRuns(b, benchRuns, 64*1024)
	if err := WriteCSVFile(path, tbl); err != nil {
		b.Fatal(err)
	}
	tbl.Release()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t, err := ReadCSV(path, ReadOptions{Schema: RunsSchema()})
		if err != nil {
			b.Fatal(err)
		}
		t.Release()
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
