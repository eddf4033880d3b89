package cost

import (
	"context"
	"testing"

	"github.com/tr119/tr119/bench/synthruns"
	"github.com/tr119/tr119/stages/internal/analysistest"
)

// BenchmarkRun1M is the whole stage on 1,000,000 counted rows: read,
// compute, write every table and the JSON.
func BenchmarkRun1M(b *testing.B) {
	art := analysistest.RunsArtifact(b, b.TempDir(), synthruns.Default().WithRows(1_000_000))
	cfg := testConfig(analysistest.List(art))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := New().Run(context.Background(), analysistest.Run(b, cfg)); err != nil {
			b.Fatal(err)
		}
	}
}
