package synthruns

import (
	"math"

	"github.com/tr119/tr119/analysis/runs"
	"github.com/tr119/tr119/artifacts"
)

// Rows generates the matrix straight into runs.Rows (what the analysis
// reads), for benchmarks that should not measure CSV or Parquet.
func Rows(cfg Config) *runs.Rows {
	n := len(cfg.Backends) * len(cfg.Scenarios) * len(cfg.Modes) * (cfg.Reps + cfg.Warmups) * cfg.Prompts
	r := &runs.Rows{
		RunID: make([]string, 0, n), Backend: make([]string, 0, n), Scenario: make([]string, 0, n),
		Mode: make([]string, 0, n), DeviceClass: make([]string, 0, n), BatchSize: make([]int64, 0, n),
		SeqLen: make([]int64, 0, n), Repetition: make([]int64, 0, n), PromptIndex: make([]int64, 0, n),
		Tokens: make([]int64, 0, n), Warmup: make([]bool, 0, n), DriftCheck: make([]bool, n),
		Status: make([]string, 0, n), Reason: make([]string, n), LatencyMS: make([]float64, 0, n),
		LatencyValid: make([]bool, 0, n), Throughput: make([]float64, 0, n), ThroughputValid: make([]bool, 0, n),
		WindowCalls: make([]int64, 0, n),
	}
	for _, name := range artifacts.Domains {
		r.Domains = append(r.Domains, runs.Domain{Name: name,
			EnergyJ: make([]float64, 0, n), EnergyValid: make([]bool, 0, n),
			ActiveJ: make([]float64, 0, n), ActiveValid: make([]bool, 0, n),
			PowerW: make([]float64, 0, n), PowerValid: make([]bool, 0, n),
			Samples: make([]int64, 0, n), Source: make([]string, 0, n), SourceReason: make([]string, 0, n)})
	}
	Each(cfg, func(x *Row) {
		r.RunID = append(r.RunID, x.RunID)
		r.Backend = append(r.Backend, x.Backend)
		r.Scenario = append(r.Scenario, x.Scenario)
		r.Mode = append(r.Mode, x.Mode)
		r.DeviceClass = append(r.DeviceClass, x.DeviceClass)
		r.BatchSize = append(r.BatchSize, x.Batch)
		r.SeqLen = append(r.SeqLen, x.SeqLen)
		r.Repetition = append(r.Repetition, x.Rep)
		r.PromptIndex = append(r.PromptIndex, x.Prompt)
		r.Tokens = append(r.Tokens, x.Tokens)
		r.Warmup = append(r.Warmup, x.Warmup)
		r.Status = append(r.Status, artifacts.StatusOK)
		r.LatencyMS = append(r.LatencyMS, x.LatencyMS)
		r.LatencyValid = append(r.LatencyValid, true)
		r.Throughput = append(r.Throughput, x.Throughput)
		r.ThroughputValid = append(r.ThroughputValid, true)
		r.WindowCalls = append(r.WindowCalls, 1)
		for d := range r.Domains {
			dom := &r.Domains[d]
			ok := !math.IsNaN(x.EnergyJ[d])
			dom.EnergyJ = append(dom.EnergyJ, x.EnergyJ[d])
			dom.EnergyValid = append(dom.EnergyValid, ok)
			dom.ActiveJ = append(dom.ActiveJ, x.EnergyJ[d]*0.8)
			dom.ActiveValid = append(dom.ActiveValid, ok)
			dom.PowerW = append(dom.PowerW, x.PowerW[d])
			dom.PowerValid = append(dom.PowerValid, ok)
			dom.Samples = append(dom.Samples, int64(max(1, x.LatencyMS/100)))
			dom.Source = append(dom.Source, x.Source[d])
			dom.SourceReason = append(dom.SourceReason, "")
		}
	})
	return r
}
