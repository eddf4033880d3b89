package cost

import (
	"math"

	"github.com/tr119/tr119/analysis/runs"
	"github.com/tr119/tr119/analysis/stats"
)

// Cell is one row of cost_cells/v1. Means and CIs are across
// repetitions; CIs are NaN when N < 2; energy values are NaN when the
// cell has no energy (Reason says why).
type Cell struct {
	Backend, Scenario, Mode, DeviceClass string
	BatchSize, SeqLen                    int64
	N, Rows, Excluded                    int
	TokensPerRep                         float64

	Throughput          Interval
	EffectiveThroughput float64
	Seconds             Interval
	Hours               float64
	PowerW              float64
	KWh, Carbon         Interval
	Domains             string
	Source, Reason      string
	// Reps are the repetition samples (cost_reps/v1).
	Reps []runs.Rep

	// per-repetition seconds and kWh per 1M, for the total cost's CI
	secondsSamples, kwhSamples []float64
}

// Interval is a mean with its confidence interval.
type Interval struct{ Mean, Low, High float64 }

// interval is the mean of a positive quantity with its CI: the t
// interval, or the seeded bootstrap where the t interval would reach zero
// or below (a cost, a time or an energy is never negative).
func interval(xs []float64, level float64) Interval {
	m, lo, hi, _ := stats.PositiveMeanCI(xs, level)
	return Interval{m, lo, hi}
}

func (iv Interval) scale(k float64) Interval {
	return Interval{iv.Mean * k, iv.Low * k, iv.High * k}
}

var nan = math.NaN()

// newCell computes a cell's physical quantities from its repetitions.
// carbon is grams CO2e per kWh.
func newCell(c *runs.Cell, carbon, level float64) Cell {
	out := Cell{
		Backend: c.Backend, Scenario: c.Scenario, Mode: c.Mode, DeviceClass: c.DeviceClass,
		BatchSize: c.BatchSize, SeqLen: c.SeqLen, N: len(c.Reps), Rows: c.Rows,
		Excluded: c.Degraded + c.Warmups + c.Drift,
		Domains:  c.Domains, Source: c.Source, Reason: c.EnergyMissing, Reps: c.Reps,
	}
	n := len(c.Reps)
	thr := make([]float64, n)
	sec := make([]float64, n)
	var kwh []float64
	if c.HasEnergy() {
		kwh = make([]float64, n)
	}
	var tokens, seconds, joules float64
	for i, r := range c.Reps {
		thr[i], sec[i] = r.Throughput(), r.SecondsPer1M()
		if kwh != nil {
			kwh[i] = r.KWhPer1M()
		}
		tokens += r.Tokens
		seconds += r.Seconds
		joules += r.EnergyJ
	}
	out.TokensPerRep = tokens / float64(n)
	out.Throughput = interval(thr, level)
	out.Seconds = interval(sec, level)
	out.EffectiveThroughput = 1e6 / out.Seconds.Mean
	out.Hours = out.Seconds.Mean / 3600
	out.KWh, out.Carbon, out.PowerW = Interval{nan, nan, nan}, Interval{nan, nan, nan}, nan
	if kwh != nil {
		out.KWh = interval(kwh, level)
		out.Carbon = out.KWh.scale(carbon)
		// Time-weighted: the mean energy per 1M over the mean time per 1M.
		out.PowerW = out.KWh.Mean * 3.6e6 / out.Seconds.Mean
	}
	out.secondsSamples, out.kwhSamples = sec, kwh
	return out
}

// CellTier is one row of cost_cell_tiers/v1.
type CellTier struct {
	Cell                      int // index into Result.Cells
	Tier                      string
	USDPerHour, Infra, Energy float64
	Total                     Interval
	EnergyShare               float64
}

// price prices one cell in one tier; the total's CI comes from the
// per-repetition totals (cost is linear in time and energy).
func price(c *Cell, rate, usdPerKWh, level float64) (infra, energy float64, total Interval, share float64) {
	infra = c.Seconds.Mean / 3600 * rate
	if c.kwhSamples == nil {
		return infra, nan, Interval{nan, nan, nan}, nan
	}
	energy = c.KWh.Mean * usdPerKWh
	total = interval(RepCosts(c.secondsSamples, c.kwhSamples, rate, usdPerKWh), level)
	total.Mean = infra + energy
	share = nan
	if total.Mean > 0 {
		share = energy / total.Mean
	}
	return infra, energy, total, share
}
