package report

import (
	"fmt"
	"math"

	"github.com/tr119/tr119/artifacts"
)

// results writes section 5: the summary per mode, scenario winners and
// the request-level tables.
func (in *input) results(d *doc) {
	d.h(2, "5. Results")
	f := in.t["summary"]
	agg := "time"
	if f.Len > 0 {
		agg = f.Str(artifacts.ACAggregate, 0)
	}
	d.h(3, "5.1 Core results (mean across scenarios)")
	d.p(fmt.Sprintf("Aggregated across scenarios with `aggregate = %q`; tier %s; multiple is total cost versus the mode's cheapest.", agg, tick(in.cfg.Tier)))
	for _, m := range modes(f) {
		d.h(4, m)
		t := table{source: in.src("summary"), header: []string{"Backend", "Scenarios", "Mean s/1M", "Effective throughput (tok/s)",
			"Effective power (W)", "Energy (kWh/1M)", "Carbon (gCO2e/1M)", "Infra ($/1M)", "Total ($/1M)", "Multiple vs best"}}
		for _, e := range in.ranking(m) {
			i := e.row
			t.rows = append(t.rows, []string{e.backend, num(f.Num(artifacts.ACNScenarios, i)), num(f.Num(artifacts.ACSeconds, i)),
				num(f.Num(artifacts.ACEffThr, i)), num(f.Num(artifacts.ACPower, i)), num(f.Num(artifacts.ACEnergy, i)),
				num(f.Num(artifacts.ACCarbon, i)), num(f.Num(artifacts.ACInfra, i)), num(f.Num(artifacts.ACTotal, i)),
				mult(f.Num(artifacts.ACMultiple, i))})
		}
		d.add(t)
	}
	in.winners(d)
	in.requests(d)
}

// winners writes 5.2: per mode and scenario the cheapest backend.
func (in *input) winners(d *doc) {
	f := in.t["winners"]
	if f == nil {
		return
	}
	d.h(3, "5.2 Scenario winners")
	t := table{source: in.src("winners"), header: []string{"Mode", "Scenario", "Basis", "Best backend", "Cost ($/1M)", "Runner-up", "Cost ($/1M)", "Runner-up multiple"}}
	for _, i := range f.Rows(artifacts.ACTier, in.cfg.Tier) {
		t.rows = append(t.rows, []string{f.Str(artifacts.ACMode, i), f.Str(artifacts.ACScenario, i), f.Str(artifacts.ACBasis, i), f.Str(artifacts.ACBest, i),
			num(f.Num(artifacts.ACBestUSD, i)), dash(f.Str(artifacts.ACRunnerUp, i)), num(f.Num(artifacts.ACRunnerUpUSD, i)),
			mult(f.Num(artifacts.ACRunnerUpMult, i))})
	}
	d.add(t)
	var flips []string
	s := in.t["summary"]
	for _, m := range modes(s) {
		if p, _ := rankedOrInfra(in.ranking(m)); len(p) > 0 {
			for _, x := range in.flips(m, p[0].backend) {
				flips = append(flips, fmt.Sprintf("%s %s: %s, not the mean's winner %s.", x.mode, tick(x.scenario), tick(x.best), tick(x.overall)))
			}
		}
	}
	switch {
	case len(sortedDistinct(s, artifacts.ACBackend)) < 2:
	case len(flips) == 0:
		d.p("The cheapest backend on the mean is also the cheapest in every scenario of its mode.")
	default:
		d.p("Scenarios where the winner differs from the mean's winner:")
		d.list(flips...)
	}
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// requests writes 5.3-5.5 from the request-level table.
func (in *input) requests(d *doc) {
	f := in.t["requests"]
	if f == nil {
		return
	}
	rr := in.requestRanking()
	if len(rr) == 0 {
		return
	}
	i0 := rr[0].row
	mix := fmt.Sprintf("prompt = %s, generate = %s (%s)", num(f.Num(artifacts.ACPromptTokens, i0)),
		num(f.Num(artifacts.ACGenerateTokens, i0)), f.Str(artifacts.ACGenMode, i0))
	d.h(3, "5.3 Request-level economics ("+mix+")")
	t := table{source: in.src("requests"), header: []string{"Backend", "Total ($/request)", "Infra ($/request)", "Energy ($/request)", "Relative vs best"}}
	best := math.NaN()
	if p := priced(rr); len(p) > 0 {
		best = p[0].total
	}
	for _, e := range rr {
		i := e.row
		t.rows = append(t.rows, []string{e.backend, num(e.total), num(f.Num(artifacts.ACReqInfra, i)), num(f.Num(artifacts.ACReqEnergy, i)), mult(e.total / best)})
	}
	d.add(t)
	d.h(3, "5.4 Infra versus energy (per 1M total tokens of the request mix)")
	t = table{source: in.src("requests"), header: []string{"Backend", "Total ($/1M)", "Infra ($/1M)", "Energy ($/1M)", "Energy share"}}
	for _, e := range rr {
		i := e.row
		t.rows = append(t.rows, []string{e.backend, num(f.Num(artifacts.ACTotal, i)), num(f.Num(artifacts.ACInfra, i)),
			num(f.Num(artifacts.ACEnergyUSD, i)), pct(f.Num(artifacts.ACEnergyShare, i))})
	}
	d.add(t)
	d.h(3, "5.5 Carbon (per 1M total tokens of the request mix)")
	t = table{source: in.src("requests"), header: []string{"Backend", "Carbon (gCO2e/1M)", "Carbon (gCO2e/request)", "Energy (kWh/request)"}}
	for _, e := range rr {
		i := e.row
		t.rows = append(t.rows, []string{e.backend, num(f.Num(artifacts.ACCarbon, i)), num(f.Num(artifacts.ACReqCarbon, i)), num(f.Num(artifacts.ACReqKWh, i))})
	}
	d.add(t)
}

// tiers writes the tier sensitivity: per mode, backend x tier totals.
func (in *input) tiers(d *doc) {
	f := in.t["summary"]
	tiers := f.Distinct(artifacts.ACTier)
	if len(tiers) < 2 {
		return
	}
	d.h(2, "11. Pricing tier sensitivity")
	d.p("Total $ per 1M tokens, mean across scenarios, for every tier the cost stage priced; the rank within each tier is in brackets.")
	for _, m := range modes(f) {
		d.h(4, m)
		t := table{source: in.src("summary"), header: append([]string{"Backend"}, tiers...)}
		for _, b := range sortedDistinct(f, artifacts.ACBackend) {
			row := []string{b}
			for _, tr := range tiers {
				cell := "n/a"
				if rs := f.Rows(artifacts.ACMode, m, artifacts.ACBackend, b, artifacts.ACTier, tr); len(rs) > 0 {
					v := f.Num(artifacts.ACTotal, rs[0])
					if !math.IsNaN(v) {
						cell = fmt.Sprintf("%s (%s)", num(v), num(f.Num(artifacts.ACRank, rs[0])))
					}
				}
				row = append(row, cell)
			}
			t.rows = append(t.rows, row)
		}
		d.add(t)
	}
	var changes []string
	for _, m := range modes(f) {
		winners := map[string]bool{}
		var order []string
		for _, tr := range tiers {
			var es []entry
			for _, i := range f.Rows(artifacts.ACMode, m, artifacts.ACTier, tr) {
				es = append(es, entry{backend: f.Str(artifacts.ACBackend, i), total: f.Num(artifacts.ACTotal, i)})
			}
			sortEntries(es)
			if p := priced(es); len(p) > 0 && !winners[p[0].backend] {
				winners[p[0].backend] = true
				order = append(order, p[0].backend)
			}
		}
		if len(order) == 1 {
			changes = append(changes, fmt.Sprintf("%s: %s is cheapest under every tier.", m, tick(order[0])))
		} else if len(order) > 1 {
			changes = append(changes, fmt.Sprintf("%s: the cheapest backend depends on the tier (%s).", m, joinTicks(order)))
		}
	}
	d.list(changes...)
}
