package cost

import (
	"testing"

	acost "github.com/tr119/tr119/analysis/cost"
	"github.com/tr119/tr119/analysis/runs"
	"github.com/tr119/tr119/bench/synthruns"
	"github.com/tr119/tr119/engine"
	aio "github.com/tr119/tr119/stages/internal/analysisio"
	"github.com/tr119/tr119/stages/internal/analysistest"
)

var benchConfig = acost.Config{
	Tiers:     []acost.Tier{{Name: "on_demand", All: 1.006}, {Name: "spot", All: 0.302}},
	USDPerKWh: 0.2, CarbonGPerKWh: 500,
	Request:        acost.Request{PromptTokens: 256, GenerateTokens: 128},
	TokensPerMonth: 1e9, Months: 12,
}

// BenchmarkCompute1M is the cost computation (grouping, per-cell
// statistics, pricing, aggregation) on 1,000,000 counted runs rows.
func BenchmarkCompute1M(b *testing.B) {
	rows := synthruns.Rows(synthruns.Default().WithRows(1_000_000))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Compute(rows, runs.Options{}, benchConfig); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadAndCompute1M adds reading the runs Parquet file, what the
// stage does besides writing its small outputs.
func BenchmarkReadAndCompute1M(b *testing.B) {
	dir := b.TempDir()
	art := analysistest.RunsArtifact(b, dir, synthruns.Default().WithRows(1_000_000))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		rows, _, err := aio.ReadRuns([]engine.Artifact{art}, aio.Need{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Compute(rows, runs.Options{}, benchConfig); err != nil {
			b.Fatal(err)
		}
	}
}
