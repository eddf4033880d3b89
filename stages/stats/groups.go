package stats

import (
	"cmp"
	"fmt"
	"slices"

	astats "github.com/tr119/tr119/analysis/stats"
	"github.com/tr119/tr119/artifacts"
	"github.com/tr119/tr119/engine"
	aio "github.com/tr119/tr119/stages/internal/analysisio"
)

// The metrics the across-scenario tests compare: total cost, or infra cost
// alone in a mode where no cell has a total (no energy measured on this
// machine), so that a machine without power counters still gets its tests,
// on the time-priced part of the cost, and says so. This is the report's
// ranking rule too.
const (
	metricTotal = artifacts.ACTotal
	metricInfra = artifacts.ACInfra
)

// costRow is one cell's cost in the chosen tier.
type costRow struct {
	mode, backend, scenario string
	infra, total            float64
	hasTotal                bool
}

// readCosts reads the tier's per-cell costs from a cost_cell_tiers table;
// a cell whose total is null (energy unavailable) keeps its infra cost.
func readCosts(a engine.Artifact, tier string) (rows []costRow, err error) {
	tbl, err := artifacts.ReadParquet(a.Path)
	if err != nil {
		return nil, err
	}
	defer tbl.Release()
	if v := artifacts.SchemaVersion(tbl.Schema()); v != artifacts.CostTiersVersion {
		return nil, fmt.Errorf("costs %s: table is %q, want %s (the cost stage's cell_tiers output)", a.Path, v, artifacts.CostTiersVersion)
	}
	modes, e1 := col(artifacts.StringCol(tbl, artifacts.ACMode))
	backends, e2 := col(artifacts.StringCol(tbl, artifacts.ACBackend))
	scenarios, e3 := col(artifacts.StringCol(tbl, artifacts.ACScenario))
	tiers, e4 := col(artifacts.StringCol(tbl, artifacts.ACTier))
	totals, valid, e5 := artifacts.Float64Col(tbl, artifacts.ACTotal)
	infras, e6 := col(artifacts.Float64Col(tbl, artifacts.ACInfra))
	for _, e := range []error{e1, e2, e3, e4, e5, e6} {
		if e != nil {
			return nil, fmt.Errorf("costs %s: %w", a.Path, e)
		}
	}
	found := false
	for i := range tiers {
		if tiers[i] != tier {
			continue
		}
		found = true
		rows = append(rows, costRow{modes[i], backends[i], scenarios[i], infras[i], totals[i], valid[i]})
	}
	if !found {
		return nil, fmt.Errorf("costs %s: no tier %q (set tier to one the cost stage priced)", a.Path, tier)
	}
	return rows, nil
}

func col[T any](v []T, _ []bool, err error) ([]T, error) { return v, err }

// compare runs the section 10 comparison per mode: a group per backend
// (sorted), its values the per-scenario costs (sorted by scenario): totals,
// or infra costs in a mode where no cell has a total.
func compare(rows []costRow, tier string, level float64) (groups, tests, pairs *aio.Table, notes []string) {
	groups = &aio.Table{Schema: artifacts.StatsGroupsSchema()}
	tests = &aio.Table{Schema: artifacts.StatsTestsSchema()}
	pairs = &aio.Table{Schema: artifacts.StatsPairwiseSchema()}
	slices.SortFunc(rows, func(a, b costRow) int {
		return cmp.Or(cmp.Compare(artifacts.ModeRank(a.mode), artifacts.ModeRank(b.mode)), cmp.Compare(a.mode, b.mode),
			cmp.Compare(a.backend, b.backend), cmp.Compare(a.scenario, b.scenario))
	})
	opt := aio.Opt
	for i := 0; i < len(rows); {
		mode, start := rows[i].mode, i
		metric, missing := metricTotal, 0
		for ; i < len(rows) && rows[i].mode == mode; i++ {
			if !rows[i].hasTotal {
				missing++
			}
		}
		switch {
		case missing == i-start:
			metric = metricInfra
			notes = append(notes, fmt.Sprintf("%s: no cell has a total in tier %s (energy unavailable): the tests compare infra $ per 1M tokens", mode, tier))
		case missing > 0:
			notes = append(notes, fmt.Sprintf("%s: %d of %d cells without a total in tier %s (energy unavailable) left out of the tests", mode, missing, i-start, tier))
		}
		var gs []astats.Group
		for _, r := range rows[start:i] {
			if metric == metricTotal && !r.hasTotal {
				continue
			}
			if len(gs) == 0 || gs[len(gs)-1].Name != r.backend {
				gs = append(gs, astats.Group{Name: r.backend})
			}
			g := &gs[len(gs)-1]
			v := r.total
			if metric == metricInfra {
				v = r.infra
			}
			g.Values = append(g.Values, v)
		}
		c := astats.Compare(gs, level)
		for _, g := range c.Groups {
			groups.Add(mode, g.Name, metric, tier, g.N, g.Mean, opt(g.Std), g.Median, opt(g.CILow), opt(g.CIHigh))
		}
		if x, same := allEqual(gs); same {
			// A tier priced at 0 makes every infra cost 0: no test or
			// change between backends is defined.
			notes = append(notes, fmt.Sprintf("%s %s: every backend's value is %g: tests and pairwise comparisons not run", mode, metric, x))
			continue
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
		for _, p := range c.Pairs {
			pairs.Add(mode, metric, tier, p.A, p.B, p.MeanA, p.MeanB, p.PctChange, opt(p.CohensD),
				opt(p.Student.T), opt(p.Student.DF), opt(p.Student.P), opt(p.StudentHolm),
				opt(p.Welch.T), opt(p.Welch.DF), opt(p.Welch.P), opt(p.WelchHolm))
		}
	}
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
