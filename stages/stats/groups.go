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

const metric = "total_usd_per_1m"

// costRow is one cell's total cost in the chosen tier.
type costRow struct {
	mode, backend, scenario string
	total                   float64
}

// readCosts reads the tier's per-cell totals from a cost_cell_tiers table;
// cells whose total is null (energy unavailable) are counted in skipped.
func readCosts(a engine.Artifact, tier string) (rows []costRow, skipped int, err error) {
	tbl, err := artifacts.ReadParquet(a.Path)
	if err != nil {
		return nil, 0, err
	}
	defer tbl.Release()
	if v := artifacts.SchemaVersion(tbl.Schema()); v != artifacts.CostTiersVersion {
		return nil, 0, fmt.Errorf("costs %s: table is %q, want %s (the cost stage's cell_tiers output)", a.Path, v, artifacts.CostTiersVersion)
	}
	modes, e1 := col(artifacts.StringCol(tbl, artifacts.ACMode))
	backends, e2 := col(artifacts.StringCol(tbl, artifacts.ACBackend))
	scenarios, e3 := col(artifacts.StringCol(tbl, artifacts.ACScenario))
	tiers, e4 := col(artifacts.StringCol(tbl, artifacts.ACTier))
	totals, valid, e5 := artifacts.Float64Col(tbl, artifacts.ACTotal)
	for _, e := range []error{e1, e2, e3, e4, e5} {
		if e != nil {
			return nil, 0, fmt.Errorf("costs %s: %w", a.Path, e)
		}
	}
	found := false
	for i := range tiers {
		if tiers[i] != tier {
			continue
		}
		found = true
		if !valid[i] {
			skipped++
			continue
		}
		rows = append(rows, costRow{modes[i], backends[i], scenarios[i], totals[i]})
	}
	if !found {
		return nil, 0, fmt.Errorf("costs %s: no tier %q (set tier to one the cost stage priced)", a.Path, tier)
	}
	return rows, skipped, nil
}

func col[T any](v []T, _ []bool, err error) ([]T, error) { return v, err }

// compare runs the section 10 comparison per mode: a group per backend
// (sorted), its values the per-scenario totals (sorted by scenario).
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
		mode := rows[i].mode
		var gs []astats.Group
		for ; i < len(rows) && rows[i].mode == mode; i++ {
			if len(gs) == 0 || gs[len(gs)-1].Name != rows[i].backend {
				gs = append(gs, astats.Group{Name: rows[i].backend})
			}
			g := &gs[len(gs)-1]
			g.Values = append(g.Values, rows[i].total)
		}
		c := astats.Compare(gs, level)
		for _, g := range c.Groups {
			groups.Add(mode, g.Name, metric, tier, g.N, g.Mean, opt(g.Std), g.Median, opt(g.CILow), opt(g.CIHigh))
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
