package stats

import (
	"cmp"
	"fmt"
	"maps"
	"math"
	"slices"

	acost "github.com/tr119/tr119/analysis/cost"
	"github.com/tr119/tr119/analysis/runs"
	astats "github.com/tr119/tr119/analysis/stats"
	"github.com/tr119/tr119/artifacts"
	"github.com/tr119/tr119/engine"
	aio "github.com/tr119/tr119/stages/internal/analysisio"
)

// The metrics the tests compare, like for like (the cost stage's ranking
// rule): total cost when every cell of the mode has one, else infra cost
// for every backend (always priced), so a backend whose energy was not
// measured is never compared with another's total.
const (
	metricTotal = artifacts.ACTotal
	metricInfra = artifacts.ACInfra
)

// costRow is one cell's cost in the chosen tier.
type costRow struct {
	mode, backend, scenario string
	infra, total            float64
	hasTotal                bool
	usdPerHour, energyUSD   float64
}

// readCosts reads the tier's per-cell costs from a cost_cell_tiers table;
// a cell whose total is null (energy unavailable) keeps its infra cost.
// An empty tier means the cost stage's headline tier (schema metadata); a
// tier that differs from it is an error: one headline tier everywhere.
func readCosts(a engine.Artifact, tier string) (rows []costRow, used string, err error) {
	tbl, err := artifacts.ReadParquet(a.Path)
	if err != nil {
		return nil, "", err
	}
	defer tbl.Release()
	if v := artifacts.SchemaVersion(tbl.Schema()); v != artifacts.CostTiersVersion {
		return nil, "", fmt.Errorf("costs %s: table is %q, want %s (the cost stage's cell_tiers output)", a.Path, v, artifacts.CostTiersVersion)
	}
	if tier, err = aio.HeadlineTier(artifacts.Metadata(tbl.Schema(), artifacts.HeadlineTierKey), tier); err != nil {
		return nil, "", err
	}
	modes, e1 := col(artifacts.StringCol(tbl, artifacts.ACMode))
	backends, e2 := col(artifacts.StringCol(tbl, artifacts.ACBackend))
	scenarios, e3 := col(artifacts.StringCol(tbl, artifacts.ACScenario))
	tiers, e4 := col(artifacts.StringCol(tbl, artifacts.ACTier))
	totals, valid, e5 := artifacts.Float64Col(tbl, artifacts.ACTotal)
	infras, e6 := col(artifacts.Float64Col(tbl, artifacts.ACInfra))
	rates, e7 := col(artifacts.Float64Col(tbl, artifacts.ACUSDPerHour))
	energy, evalid, e8 := artifacts.Float64Col(tbl, artifacts.ACEnergyUSD)
	for _, e := range []error{e1, e2, e3, e4, e5, e6, e7, e8} {
		if e != nil {
			return nil, "", fmt.Errorf("costs %s: %w", a.Path, e)
		}
	}
	found := false
	for i := range tiers {
		if tiers[i] != tier {
			continue
		}
		found = true
		e := math.NaN()
		if evalid[i] {
			e = energy[i]
		}
		rows = append(rows, costRow{modes[i], backends[i], scenarios[i], infras[i], totals[i], valid[i], rates[i], e})
	}
	if !found {
		return nil, "", fmt.Errorf("costs %s: no tier %q (set the cost stage's headline_tier to one it priced)", a.Path, tier)
	}
	return rows, tier, nil
}

func col[T any](v []T, _ []bool, err error) ([]T, error) { return v, err }

// modeMetric is a mode's comparison basis: total when every cell has one.
func modeMetric(rows []costRow) string {
	basis := acost.LikeForLike(rows, func(r costRow) float64 {
		if !r.hasTotal {
			return math.NaN()
		}
		return r.total
	})
	if basis == acost.BasisInfra {
		return metricInfra
	}
	return metricTotal
}

func (r costRow) value(metric string) float64 {
	if metric == metricInfra {
		return r.infra
	}
	return r.total
}

// byMode sorts rows by mode, backend, scenario and calls fn per mode.
func byMode(rows []costRow, fn func(mode string, rows []costRow)) {
	slices.SortFunc(rows, func(a, b costRow) int {
		return cmp.Or(cmp.Compare(artifacts.ModeRank(a.mode), artifacts.ModeRank(b.mode)), cmp.Compare(a.mode, b.mode),
			cmp.Compare(a.backend, b.backend), cmp.Compare(a.scenario, b.scenario))
	})
	for i := 0; i < len(rows); {
		j := i
		for j < len(rows) && rows[j].mode == rows[i].mode {
			j++
		}
		fn(rows[i].mode, rows[i:j])
		i = j
	}
}

// compare runs the section 10 comparison per mode: a group per backend
// (sorted), its values the per-scenario costs (sorted by scenario), and
// per pair the paired test over the shared scenarios.
func compare(rows []costRow, tier string, level float64) (groups, tests, pairs *aio.Table, notes []string) {
	groups = &aio.Table{Schema: artifacts.StatsGroupsSchema()}
	tests = &aio.Table{Schema: artifacts.StatsTestsSchema()}
	pairs = &aio.Table{Schema: artifacts.StatsPairwiseSchema()}
	opt := aio.Opt
	byMode(rows, func(mode string, rows []costRow) {
		metric := modeMetric(rows)
		if metric == metricInfra {
			notes = append(notes, fmt.Sprintf("%s: not every cell has a total in tier %s (energy unavailable): every backend is compared on infra $ per 1M tokens", mode, tier))
		}
		var gs []astats.Group
		perScenario := map[string]map[string]float64{} // backend -> scenario -> value
		for _, r := range rows {
			if len(gs) == 0 || gs[len(gs)-1].Name != r.backend {
				gs = append(gs, astats.Group{Name: r.backend})
				perScenario[r.backend] = map[string]float64{}
			}
			g := &gs[len(gs)-1]
			g.Values = append(g.Values, r.value(metric))
			perScenario[r.backend][r.scenario] = r.value(metric)
		}
		c := astats.Compare(gs, level)
		for k, g := range c.Groups {
			_, lo, hi, method := astats.PositiveMeanCI(gs[k].Values, level)
			groups.Add(mode, g.Name, metric, tier, g.N, g.Mean, opt(g.Std), g.Median, opt(lo), opt(hi), method)
		}
		if x, same := allEqual(gs); same {
			// A tier priced at 0 makes every infra cost 0: no test or
			// change between backends is defined.
			notes = append(notes, fmt.Sprintf("%s %s: every backend's value is %g: tests and pairwise comparisons not run", mode, metric, x))
			return
		}
		for _, t := range []struct {
			name string
			r    *astats.Omnibus
		}{{"anova", c.ANOVA}, {"kruskal_wallis", c.KruskalWallis}} {
			if t.r == nil {
				notes = append(notes, fmt.Sprintf("%s %s not run: %s", mode, t.name, c.Errs[t.name]))
				continue
			}
			var df2 any
			if t.name == "anova" {
				df2 = t.r.DF2
			}
			tests.Add(mode, metric, tier, t.name, t.r.Statistic, t.r.DF1, df2, t.r.P, len(gs), t.r.N)
		}
		paired := make([]astats.Paired, len(c.Pairs))
		pp := make([]float64, len(c.Pairs))
		for k, p := range c.Pairs {
			var a, b []float64
			for _, s := range slices.Sorted(maps.Keys(perScenario[p.A])) {
				if y, ok := perScenario[p.B][s]; ok {
					a, b = append(a, perScenario[p.A][s]), append(b, y)
				}
			}
			pr, err := astats.PairedLogRatio(a, b, level)
			if err != nil {
				pr = astats.Paired{N: len(a), Ratio: math.NaN(), Low: math.NaN(), High: math.NaN(), P: math.NaN()}
			}
			paired[k], pp[k] = pr, pr.P
		}
		ph := astats.Holm(pp)
		for k, p := range c.Pairs {
			pr := paired[k]
			pairs.Add(mode, metric, tier, p.A, p.B, p.MeanA, p.MeanB, p.PctChange, opt(p.CohensD),
				opt(p.Student.T), opt(p.Student.DF), opt(p.Student.P), opt(p.StudentHolm),
				opt(p.Welch.T), opt(p.Welch.DF), opt(p.Welch.P), opt(p.WelchHolm),
				pr.N, opt(pr.Ratio), opt(pr.Low), opt(pr.High), opt(pr.P), opt(ph[k]))
		}
	})
	return groups, tests, pairs, notes
}

// allEqual reports whether every value of every group is the same.
func allEqual(gs []astats.Group) (float64, bool) {
	first, seen := 0.0, false
	for _, g := range gs {
		for _, v := range g.Values {
			if !seen {
				first, seen = v, true
			} else if v != first {
				return 0, false
			}
		}
	}
	return first, seen
}

// cellPairs compares backends within each scenario on the per-repetition
// cost: Welch over the repetitions, Holm across the mode's rows.
func cellPairs(rows []costRow, cells []runs.Cell, tier string) *aio.Table {
	t := &aio.Table{Schema: artifacts.StatsCellPairwiseSchema()}
	reps := map[[3]string]*runs.Cell{}
	for i := range cells {
		c := &cells[i]
		reps[[3]string{c.Backend, c.Scenario, c.Mode}] = c
	}
	byMode(rows, func(mode string, rows []costRow) {
		metric := modeMetric(rows)
		byScenario := map[string][]costRow{}
		for _, r := range rows {
			byScenario[r.scenario] = append(byScenario[r.scenario], r)
		}
		type line struct {
			scenario, a, b string
			xa, xb         []float64
			w              astats.TTest
		}
		var lines []line
		for _, s := range slices.Sorted(maps.Keys(byScenario)) {
			rs := byScenario[s] // sorted by backend
			for i := range rs {
				for j := i + 1; j < len(rs); j++ {
					xa := repCosts(rs[i], reps[[3]string{rs[i].backend, s, mode}], metric)
					xb := repCosts(rs[j], reps[[3]string{rs[j].backend, s, mode}], metric)
					if len(xa) == 0 || len(xb) == 0 || !(astats.Mean(xa) > 0) {
						continue // no ratio against a free cell (a tier priced at 0)
					}
					w, err := astats.WelchT(xa, xb)
					if err != nil {
						w = astats.TTest{T: math.NaN(), DF: math.NaN(), P: math.NaN()}
					}
					lines = append(lines, line{s, rs[i].backend, rs[j].backend, xa, xb, w})
				}
			}
		}
		ps := make([]float64, len(lines))
		for i, l := range lines {
			ps[i] = l.w.P
		}
		ph := astats.Holm(ps)
		opt := aio.Opt
		for i, l := range lines {
			ma, mb := astats.Mean(l.xa), astats.Mean(l.xb)
			t.Add(mode, l.scenario, metric, tier, l.a, l.b, len(l.xa), len(l.xb), ma, mb, mb/ma,
				opt(l.w.T), opt(l.w.DF), opt(l.w.P), opt(ph[i]))
		}
	})
	return t
}

// repCosts prices each repetition of a cell as the cost stage prices the
// cell (cost.RepCosts): for totals, with the electricity price the cost
// stage applied (its energy $ over the cell's mean kWh).
func repCosts(r costRow, c *runs.Cell, metric string) []float64 {
	if c == nil {
		return nil
	}
	seconds := make([]float64, len(c.Reps))
	for i, x := range c.Reps {
		seconds[i] = x.SecondsPer1M()
	}
	if metric != metricTotal || !c.HasEnergy() {
		return acost.RepCosts(seconds, nil, r.usdPerHour, 0)
	}
	kwh := make([]float64, len(c.Reps))
	var mean float64
	for i, x := range c.Reps {
		kwh[i] = x.KWhPer1M()
		mean += kwh[i]
	}
	return acost.RepCosts(seconds, kwh, r.usdPerHour, acost.AppliedUSDPerKWh(r.energyUSD, mean/float64(len(kwh))))
}
