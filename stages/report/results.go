package report

import (
	"fmt"
	"math"
	"strings"

	"github.com/tr119/tr119/artifacts"
)

// noEnergyNote replaces energy and carbon tables and figures when no cell
// has energy.
const noEnergyNote = "No backend has an energy reading in this data (the power counters were unavailable: see section 6), " +
	"so energy, carbon and total cost are unknown everywhere; costs are infra cost (time x hourly rate) and the electricity price has no effect on them."

// results writes section 5: the summary per mode, scenario winners and
// the request-level tables.
func (in *input) results(d *doc) {
	d.section("Results")
	f := in.t["summary"]
	agg := "time"
	if f.Len > 0 {
		agg = f.Str(artifacts.ACAggregate, 0)
	}
	d.subsection("Core results (mean across scenarios)")
	d.p(fmt.Sprintf("Aggregated across scenarios with `aggregate = %q`; tier %s. Rank and multiple are on total cost where every backend of the mode has one, else on infra cost for every backend.",
		agg, tick(in.tier)))
	if in.noEnergy {
		d.p(noEnergyNote)
	}
	for _, m := range modes(f) {
		d.h(4, m)
		r := in.modeRanking(m)
		head := []string{"Backend", "Scenarios", "Mean s/1M", "Effective throughput (tok/s)"}
		if !in.noEnergy {
			head = append(head, "Effective power (W)", "Energy (kWh/1M)", "Carbon (gCO2e/1M)")
		}
		head = append(head, "Infra ($/1M)")
		if !in.noEnergy {
			head = append(head, "Total ($/1M)")
		}
		head = append(head, "Multiple vs best ("+basisWords(r.basis)+")")
		t := table{source: in.src("summary"), header: head}
		for _, e := range r.entries {
			i := e.row
			row := []string{e.backend, count(f.Num(artifacts.ACNScenarios, i)), num(f.Num(artifacts.ACSeconds, i)), num(f.Num(artifacts.ACEffThr, i))}
			if !in.noEnergy {
				row = append(row, num(f.Num(artifacts.ACPower, i)), num(f.Num(artifacts.ACEnergy, i)), num(f.Num(artifacts.ACCarbon, i)))
			}
			row = append(row, num(f.Num(artifacts.ACInfra, i)))
			if !in.noEnergy {
				row = append(row, num(f.Num(artifacts.ACTotal, i)))
			}
			t.rows = append(t.rows, append(row, mult(e.cost/r.entries[0].cost)))
		}
		d.table(t, "No backend is priced at tier "+tick(in.tier)+" in "+m+".")
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
	d.subsection("Scenario winners")
	t := table{source: in.src("winners"), header: []string{"Mode", "Scenario", "Basis", "Best backend", "Cost ($/1M)", "Runner-up", "Cost ($/1M)", "Runner-up multiple"}}
	for _, i := range f.Rows(artifacts.ACTier, in.tier) {
		t.rows = append(t.rows, []string{f.Str(artifacts.ACMode, i), f.Str(artifacts.ACScenario, i), f.Str(artifacts.ACBasis, i), f.Str(artifacts.ACBest, i),
			num(f.Num(artifacts.ACBestUSD, i)), dash(f.Str(artifacts.ACRunnerUp, i)), num(f.Num(artifacts.ACRunnerUpUSD, i)),
			mult(f.Num(artifacts.ACRunnerUpMult, i))})
	}
	d.table(t, "The winners table has no row at tier "+tick(in.tier)+".")
	s := in.t["summary"]
	if len(sortedDistinct(s, artifacts.ACBackend)) < 2 {
		return
	}
	var lines []string
	for _, m := range modes(s) {
		if r := in.modeRanking(m); len(r.entries) > 0 {
			if fl := in.flips(m, r.entries[0].backend); len(fl) > 0 {
				lines = append(lines, fmt.Sprintf("%s: %s, not the mean's winner %s.", m, joinAnd(mergeFlips(fl)), tick(r.entries[0].backend)))
			}
		}
	}
	if len(lines) == 0 {
		d.p("The cheapest backend on the mean is also the cheapest in every scenario of its mode.")
		return
	}
	d.p("Scenarios where the winner differs from the mean's winner:")
	d.list(lines...)
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
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
	if len(rr.entries) == 0 {
		return
	}
	i0 := rr.entries[0].row
	mix := fmt.Sprintf("%s prompt + %s generated tokens, %s", count(f.Num(artifacts.ACPromptTokens, i0)),
		count(f.Num(artifacts.ACGenerateTokens, i0)), f.Str(artifacts.ACGenMode, i0))
	d.subsection("Request-level economics (" + mix + ")")
	d.p(fmt.Sprintf("Costs per 1,000 requests; relative is on %s.", basisWords(rr.basis)))
	head := []string{"Backend", "Infra ($ per 1,000 requests)"}
	if !in.noEnergy {
		head = append(head, "Energy ($ per 1,000 requests)", "Total ($ per 1,000 requests)")
	}
	t := table{source: in.src("requests"), header: append(head, "Relative vs best")}
	for _, e := range rr.entries {
		i := e.row
		row := []string{e.backend, num(perK * e.infra)}
		if !in.noEnergy {
			row = append(row, num(perK*f.Num(artifacts.ACReqEnergy, i)), num(perK*e.total))
		}
		t.rows = append(t.rows, append(row, mult(e.cost/rr.entries[0].cost)))
	}
	d.add(t)
	if in.noEnergy {
		d.p("Sections on infra versus energy and on carbon are left out: " + lowerFirst(noEnergyNote))
		return
	}
	d.subsection("Infra versus energy (per 1M total tokens of the request mix)")
	t = table{source: in.src("requests"), header: []string{"Backend", "Total ($/1M)", "Infra ($/1M)", "Energy ($/1M)", "Energy share"}}
	for _, e := range rr.entries {
		i := e.row
		t.rows = append(t.rows, []string{e.backend, num(f.Num(artifacts.ACTotal, i)), num(f.Num(artifacts.ACInfra, i)),
			num(f.Num(artifacts.ACEnergyUSD, i)), pct(f.Num(artifacts.ACEnergyShare, i))})
	}
	d.add(t)
	d.subsection("Carbon (per 1M total tokens of the request mix)")
	t = table{source: in.src("requests"), header: []string{"Backend", "Carbon (gCO2e/1M)", "Carbon (gCO2e per 1,000 requests)", "Energy (kWh per 1,000 requests)"}}
	for _, e := range rr.entries {
		i := e.row
		t.rows = append(t.rows, []string{e.backend, num(f.Num(artifacts.ACCarbon, i)), num(perK * f.Num(artifacts.ACReqCarbon, i)), num(perK * f.Num(artifacts.ACReqKWh, i))})
	}
	d.add(t)
}

// tiers writes the tier sensitivity: per mode, backend x tier costs.
func (in *input) tiers(d *doc) {
	f := in.t["summary"]
	tiers := f.Distinct(artifacts.ACTier)
	if len(tiers) < 2 {
		return
	}
	d.section("Pricing tier sensitivity")
	d.p("Cost per 1M tokens, mean across scenarios, for every tier the cost stage priced, on each tier's ranking basis (total, or infra where a backend lacks energy); the rank within each tier is in brackets.")
	for _, m := range modes(f) {
		d.h(4, m)
		t := table{source: in.src("summary"), header: append([]string{"Backend"}, tiers...)}
		for _, b := range sortedDistinct(f, artifacts.ACBackend) {
			row := []string{b}
			for _, tr := range tiers {
				cell := "n/a"
				if rs := f.Rows(artifacts.ACMode, m, artifacts.ACBackend, b, artifacts.ACTier, tr); len(rs) > 0 {
					v := f.Num(artifacts.ACTotal, rs[0])
					if f.Str(artifacts.ACRankBasis, rs[0]) == "infra" {
						v = f.Num(artifacts.ACInfra, rs[0])
					}
					if !math.IsNaN(v) {
						cell = fmt.Sprintf("%s (%s)", num(v), count(f.Num(artifacts.ACRank, rs[0])))
					}
				}
				row = append(row, cell)
			}
			t.rows = append(t.rows, row)
		}
		d.add(t)
	}
	d.list(in.tierFindings()...)
}
