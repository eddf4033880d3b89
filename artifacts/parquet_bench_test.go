package artifacts

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// peakRSSMiB returns the process's peak resident set (VmHWM) in MiB, or 0
// where /proc is not available.
func peakRSSMiB() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmHWM:" {
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb / 1024
		}
	}
	return 0
}

const benchRuns = 1_000_000

// BenchmarkWriteParquetRuns1M writes a 1,000,000-row runs/v1 table
// (target: a few seconds, well under 2 GiB peak RSS).
func BenchmarkWriteParquetRuns1M(b *testing.B) {
	tbl := syntheticRuns(b, benchRuns, 64*1024)
	defer tbl.Release()
	path := filepath.Join(b.TempDir(), "runs.parquet")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := WriteParquet(path, tbl); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	st, _ := os.Stat(path)
	b.ReportMetric(float64(st.Size())/(1<<20), "file-MiB")
	b.ReportMetric(peakRSSMiB(), "peak-rss-MiB")
}

// BenchmarkReadParquetRuns1M reads a 1,000,000-row runs/v1 table back and
// takes one float column from it, as an analysis stage would.
func BenchmarkReadParquetRuns1M(b *testing.B) {
	path := filepath.Join(b.TempDir(), "runs.parquet")
	tbl := syntheticRuns(b, benchRuns, 64*1024)
	if err := WriteParquet(path, tbl); err != nil {
		b.Fatal(err)
	}
	tbl.Release()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t, err := ReadParquet(path)
		if err != nil {
			b.Fatal(err)
		}
		if _, _, err := Float64Col(t, ColLatencyMS); err != nil {
			b.Fatal(err)
		}
		t.Release()
	}
	b.StopTimer()
	b.ReportMetric(peakRSSMiB(), "peak-rss-MiB")
}
