package compare

import (
	"math"
	"sort"

	"github.com/tr119/tr119/analysis/stats"
	"github.com/tr119/tr119/artifacts"
)

var nan = math.NaN()

// Options configure a comparison.
type Options struct {
	// Threshold is the relative throughput drop that counts as a
	// regression (0.10 = 10%).
	Threshold float64
	// Alpha is the significance level of the Welch tests (0.05).
	Alpha float64
	// Tier is the cost tier whose costs are compared; "" is the cost
	// stage's headline tier.
	Tier string
}

// Metric is one quantity of one cell in both results.
type Metric struct {
	// A and B are the means (NaN when that side lacks the value).
	A float64 `json:"a"`
	B float64 `json:"b"`
	// Change is (B-A)/A.
	Change float64 `json:"change"`
	// P is Welch's two-sided p-value over the repetitions (NaN when it
	// cannot be computed: fewer than 2 repetitions, zero variance, or a
	// value without repetitions such as cost).
	P float64 `json:"p"`
	// Significant is P < alpha.
	Significant bool `json:"significant"`
}

// CellDiff is one cell's comparison.
type CellDiff struct {
	Backend    string `json:"backend"`
	Scenario   string `json:"scenario"`
	Mode       string `json:"mode"`
	NA         int    `json:"n_a"`
	NB         int    `json:"n_b"`
	Throughput Metric `json:"throughput_tok_s"`
	Energy     Metric `json:"energy_kwh_per_1m"`
	// Cost is the cost stage's $ per 1M tokens at the tier with Welch's
	// test over the repetitions priced alike: total cost when both sides
	// have one, else infra cost (CostBasis says which).
	Cost      Metric `json:"usd_per_1m"`
	CostBasis string `json:"cost_basis"`
	// Regression is true when throughput dropped, or the cost rose, by
	// more than the threshold.
	Regression bool `json:"regression"`
}

// EnvDiff is one environment key whose value differs ("" = absent).
type EnvDiff struct {
	Key string `json:"key"`
	A   string `json:"a"`
	B   string `json:"b"`
}

// Result is the whole comparison.
type Result struct {
	A         string     `json:"a"`
	B         string     `json:"b"`
	Threshold float64    `json:"threshold"`
	Alpha     float64    `json:"alpha"`
	Tier      string     `json:"tier"`
	Cells     []CellDiff `json:"cells"`
	OnlyA     []string   `json:"only_in_a"`
	OnlyB     []string   `json:"only_in_b"`
	Env       []EnvDiff  `json:"environment"`
	// Regressions counts cells with Regression set.
	Regressions int `json:"regressions"`
	// Changed is false when no metric of any cell moved, no cell is only
	// on one side and no environment key differs.
	Changed bool `json:"changed"`
}

// Diff compares two loaded results.
func Diff(a, b *Side, opt Options) *Result {
	tier := opt.Tier
	if tier == "" {
		tier = a.Tier
	}
	r := &Result{A: a.Dir, B: b.Dir, Threshold: opt.Threshold, Alpha: opt.Alpha, Tier: tier,
		Cells: []CellDiff{}, OnlyA: []string{}, OnlyB: []string{}, Env: []EnvDiff{}}
	for _, k := range sortedKeys(a.Cells) {
		ca, cb := a.Cells[k], b.Cells[k]
		if cb == nil {
			r.OnlyA = append(r.OnlyA, ca.Backend+"/"+ca.Scenario+"/"+ca.Mode)
			continue
		}
		d := CellDiff{Backend: ca.Backend, Scenario: ca.Scenario, Mode: ca.Mode, NA: len(ca.Throughput), NB: len(cb.Throughput),
			Throughput: sample(ca.Throughput, cb.Throughput, opt.Alpha), Energy: sample(ca.KWh, cb.KWh, opt.Alpha)}
		switch {
		case !math.IsNaN(ca.Total) && !math.IsNaN(cb.Total):
			d.Cost, d.CostBasis = costMetric(ca.Total, cb.Total, ca.TotalReps, cb.TotalReps, opt.Alpha), "total"
		case !math.IsNaN(ca.Infra) || !math.IsNaN(cb.Infra):
			d.Cost, d.CostBasis = costMetric(ca.Infra, cb.Infra, ca.InfraReps, cb.InfraReps, opt.Alpha), "infra"
		default:
			d.Cost = point(nan, nan)
		}
		d.Regression = d.Throughput.Change < -opt.Threshold || d.Cost.Change > opt.Threshold
		if d.Regression {
			r.Regressions++
		}
		for _, m := range []Metric{d.Throughput, d.Energy, d.Cost} {
			if m.Change != 0 && !math.IsNaN(m.Change) || math.IsNaN(m.A) != math.IsNaN(m.B) {
				r.Changed = true
			}
		}
		r.Cells = append(r.Cells, d)
	}
	sort.SliceStable(r.Cells, func(i, j int) bool {
		x, y := r.Cells[i], r.Cells[j]
		if artifacts.ModeRank(x.Mode) != artifacts.ModeRank(y.Mode) {
			return artifacts.ModeRank(x.Mode) < artifacts.ModeRank(y.Mode)
		}
		if x.Mode != y.Mode {
			return x.Mode < y.Mode
		}
		if x.Backend != y.Backend {
			return x.Backend < y.Backend
		}
		return x.Scenario < y.Scenario
	})
	for _, k := range sortedKeys(b.Cells) {
		if a.Cells[k] == nil {
			c := b.Cells[k]
			r.OnlyB = append(r.OnlyB, c.Backend+"/"+c.Scenario+"/"+c.Mode)
		}
	}
	keys := map[string]bool{}
	for k := range a.Env {
		keys[k] = true
	}
	for k := range b.Env {
		keys[k] = true
	}
	for _, k := range sortedKeys(keys) {
		if a.Env[k] != b.Env[k] {
			r.Env = append(r.Env, EnvDiff{Key: k, A: a.Env[k], B: b.Env[k]})
		}
	}
	if len(r.OnlyA)+len(r.OnlyB)+len(r.Env) > 0 {
		r.Changed = true
	}
	return r
}

// sample compares two sets of repetitions: means, relative change and
// Welch's test.
func sample(a, b []float64, alpha float64) Metric {
	m := point(mean(a), mean(b))
	if len(a) >= 2 && len(b) >= 2 {
		if t, err := stats.WelchT(a, b); err == nil {
			m.P = t.P
			m.Significant = t.P < alpha
		}
	}
	return m
}

// costMetric is the cost stage's two values with Welch's test over the
// repetitions priced alike.
func costMetric(a, b float64, ra, rb []float64, alpha float64) Metric {
	m := point(a, b)
	if len(ra) >= 2 && len(rb) >= 2 {
		if t, err := stats.WelchT(ra, rb); err == nil {
			m.P = t.P
			m.Significant = t.P < alpha
		}
	}
	return m
}

// point compares two single values.
func point(a, b float64) Metric {
	m := Metric{A: a, B: b, Change: nan, P: nan}
	if !math.IsNaN(a) && !math.IsNaN(b) && a != 0 {
		m.Change = (b - a) / a
	}
	return m
}

func mean(xs []float64) float64 {
	if len(xs) == 0 {
		return nan
	}
	return stats.Mean(xs)
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
