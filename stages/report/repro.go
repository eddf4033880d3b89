package report

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/tr119/tr119/artifacts"
)

// reproducibility writes section 14: the commands and every input's hash,
// plus the inputs digest (what this stage can see of the pipeline: the
// full pipeline hash is in the results manifest beside the report).
func (in *input) reproducibility(d *doc) {
	d.section("Reproducibility")
	d.p("Re-create and check these results from the workspace holding the pipeline:")
	d.add(code{text: "tr119 apply            # re-runs only stale stages; re-pricing never re-runs benchmarks\ntr119 verify           # re-hashes every result against results/manifest.json\ntr119 verify -reproduce  # re-runs every deterministic stage and demands identical bytes"})
	type line struct{ name, stage, sha string }
	var lines []line
	for name, a := range in.cfg.Arts {
		lines = append(lines, line{name, a.Stage, a.SHA256})
	}
	for name, list := range in.cfg.Lists {
		for i, a := range list {
			lines = append(lines, line{fmt.Sprintf("%s[%d]", name, i), a.Stage, a.SHA256})
		}
	}
	sort.Slice(lines, func(i, j int) bool { return lines[i].name < lines[j].name })
	h := sha256.New()
	t := table{source: "the report stage's inputs", header: []string{"Input", "Stage", "sha256"}}
	for _, l := range lines {
		fmt.Fprintf(h, "input %s %s\n", l.name, l.sha)
		t.rows = append(t.rows, []string{l.name, l.stage, l.sha})
	}
	d.p(fmt.Sprintf("Inputs digest (sha256 over the sorted `input NAME SHA256` lines below): `%s`. The pipeline file's hash and every stage's action key are in the results manifest.",
		hex.EncodeToString(h.Sum(nil))))
	d.add(t)
	models := map[string]bool{}
	for _, r := range in.runs {
		for i := 0; i < r.Len; i++ {
			models[r.Str(artifacts.ColModel, i)+" (sha256 "+short(r.Str(artifacts.ColModelSHA256, i))+")"] = true
		}
	}
	if len(models) > 0 {
		d.p("Models measured: " + strings.Join(sortedMapKeys(models), ", ") + ".")
	}
}

// appendix writes appendix A (per-cell costs, TCO, savings) and B (the
// figures).
func (in *input) appendix(d *doc) {
	d.annex("A", "Key tables")
	d.subsection("Per-cell cost, tier " + tick(in.tier))
	c, ct := in.t["cells"], in.t["cell_tiers"]
	head := []string{"Mode", "Backend", "Scenario", "Throughput (tok/s) [95% CI]", "s/1M"}
	if !in.noEnergy {
		head = append(head, "kWh/1M [95% CI]", "gCO2e/1M")
	}
	head = append(head, "Infra $/1M")
	if !in.noEnergy {
		head = append(head, "Total $/1M [95% CI]")
	}
	t := table{source: in.src("cells") + " and " + in.src("cell_tiers"), header: head}
	for i := 0; i < c.Len; i++ {
		tot, infra := "n/a", "n/a"
		if rs := ct.Rows(artifacts.ACBackend, c.Str(artifacts.ACBackend, i), artifacts.ACScenario, c.Str(artifacts.ACScenario, i),
			artifacts.ACMode, c.Str(artifacts.ACMode, i), artifacts.ACTier, in.tier); len(rs) > 0 {
			j := rs[0]
			tot = ci(ct.Num(artifacts.ACTotal, j), ct.Num(artifacts.ACTotalCILow, j), ct.Num(artifacts.ACTotalCIHigh, j))
			infra = num(ct.Num(artifacts.ACInfra, j))
		}
		row := []string{c.Str(artifacts.ACMode, i), c.Str(artifacts.ACBackend, i), c.Str(artifacts.ACScenario, i),
			ci(c.Num(artifacts.ACThroughput, i), c.Num(artifacts.ACThrCILow, i), c.Num(artifacts.ACThrCIHigh, i)),
			num(c.Num(artifacts.ACSeconds, i))}
		if !in.noEnergy {
			row = append(row, ci(c.Num(artifacts.ACEnergy, i), c.Num(artifacts.ACEnergyCILow, i), c.Num(artifacts.ACEnergyCIHi, i)),
				num(c.Num(artifacts.ACCarbon, i)))
		}
		row = append(row, infra)
		if !in.noEnergy {
			row = append(row, tot)
		}
		t.rows = append(t.rows, row)
	}
	d.table(t, "The cost stage's cells table has no row.")
	if f := in.t["tco"]; f != nil {
		d.subsection("Total cost of ownership")
		t := table{source: in.src("tco"), header: []string{"Backend", "Tokens/month", "Months", "Requests/month", "$ per month", "$ total"}}
		var unknown []string
		for _, i := range f.Rows(artifacts.ACTier, in.tier) {
			if math.IsNaN(f.Num(artifacts.ACUSDMonth, i)) {
				unknown = append(unknown, f.Str(artifacts.ACBackend, i))
				continue
			}
			t.rows = append(t.rows, []string{f.Str(artifacts.ACBackend, i), count(f.Num(artifacts.ACTokensMonth, i)),
				count(f.Num(artifacts.ACMonths, i)), count(f.Num(artifacts.ACRequestsMonth, i)), usd(f.Num(artifacts.ACUSDMonth, i)), usd(f.Num(artifacts.ACUSDTotal, i))})
		}
		d.table(t, "No TCO: it needs a total cost, and no backend has an energy reading.")
		if len(unknown) > 0 && len(t.rows) > 0 {
			d.p("Left out (no total: energy unavailable): " + joinTicks(unknown) + ".")
		}
	}
	if f := in.t["savings"]; f != nil {
		d.subsection("Savings between backends")
		t := table{source: in.src("savings"), header: []string{"Backend", "Versus", "$ saved per month", "$ saved per year", "Fraction"}}
		for _, i := range f.Rows(artifacts.ACTier, in.tier) {
			t.rows = append(t.rows, []string{f.Str(artifacts.ACBackend, i), f.Str(artifacts.ACVersus, i), usd(f.Num(artifacts.ACSavingsMonth, i)),
				usd(f.Num(artifacts.ACSavingsYear, i)), pct(f.Num(artifacts.ACSavingsPct, i))})
		}
		why := "No savings to show: they compare two backends that both have a total cost"
		if len(sortedDistinct(in.t["summary"], artifacts.ACBackend)) < 2 {
			why = "No savings to show: only one backend was measured"
		} else if miss := in.requestRanking().missing(); len(miss) > 0 {
			why += ", and " + joinTicks(names(miss)) + " has no energy reading"
		}
		d.table(t, why+".")
	}
	if len(in.figs) > 0 {
		d.annex("B", "Figures")
		d.p(fmt.Sprintf("From `figures` (%s, sha256 %s). Error bars are 95%% confidence intervals; n/a marks cells that were not measured.",
			in.figIndex.Stage, short(in.figIndex.SHA256)))
		skipped := 0
		for _, f := range in.figs {
			if in.noEnergy && isEnergyFigure(f.file) {
				skipped++
				continue
			}
			d.add(f)
		}
		if skipped > 0 {
			d.p(fmt.Sprintf("The %s of energy and carbon are left out: %s", plural(skipped, "figure", "figures"), lowerFirst(noEnergyNote)))
		}
	}
}

// isEnergyFigure reports whether a figure file shows energy or carbon.
func isEnergyFigure(file string) bool {
	return strings.Contains(file, "energy_per_1m") || strings.Contains(file, "carbon_per_1m")
}
