package stats

import (
	"github.com/tr119/tr119/analysis/runs"
	astats "github.com/tr119/tr119/analysis/stats"
	"github.com/tr119/tr119/artifacts"
	aio "github.com/tr119/tr119/stages/internal/analysisio"
)

// metrics are the per-repetition quantities described per cell.
var metrics = []struct {
	name, unit string
	energy     bool
	of         func(runs.Rep) float64
}{
	{"latency_ms", "ms per call", false, runs.Rep.LatencyMS},
	{"throughput_tok_s", "tokens/s", false, runs.Rep.Throughput},
	{"seconds_per_1m", "s per 1M tokens", false, runs.Rep.SecondsPer1M},
	{"power_w", "W", true, runs.Rep.PowerW},
	{"energy_kwh_per_1m", "kWh per 1M tokens", true, runs.Rep.KWhPer1M},
}

// cellTable describes every cell's repetitions, metric by metric; energy
// metrics only for cells with energy.
func cellTable(cells []runs.Cell, level float64) *aio.Table {
	t := &aio.Table{Schema: artifacts.StatsCellsSchema()}
	xs := []float64{}
	for i := range cells {
		c := &cells[i]
		for _, m := range metrics {
			if len(c.Reps) == 0 || (m.energy && !c.HasEnergy()) {
				continue
			}
			xs = xs[:0]
			for _, r := range c.Reps {
				xs = append(xs, m.of(r))
			}
			s, err := astats.Describe(xs, level)
			if err != nil {
				continue
			}
			t.Add(c.Backend, c.Scenario, c.Mode, m.name, m.unit, s.N, s.Mean, aio.Opt(s.Std), s.Median,
				s.Min, s.Max, aio.Opt(s.CILow), aio.Opt(s.CIHigh))
		}
	}
	return t
}
