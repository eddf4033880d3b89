package report

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"

	"github.com/tr119/tr119/artifacts"
)

// reproducibility writes section 14: the commands and every input's hash,
// plus the inputs digest (what this stage can see of the pipeline: the
// full pipeline hash is in the results manifest beside the report).
func (in *input) reproducibility(d *doc) {
	d.h(2, "14. Reproducibility")
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
	d.h(2, "Appendix A: Key tables")
	d.h(3, "A.1 Per-cell cost, tier "+in.cfg.Tier)
	c, ct := in.t["cells"], in.t["cell_tiers"]
	t := table{source: in.src("cells") + " and " + in.src("cell_tiers"), header: []string{"Mode", "Backend", "Scenario", "Throughput (tok/s) [95% CI]",
		"s/1M", "kWh/1M [95% CI]", "gCO2e/1M", "Total $/1M [95% CI]"}}
	for i := 0; i < c.Len; i++ {
		tot := "n/a"
		if rs := ct.Rows(artifacts.ACBackend, c.Str(artifacts.ACBackend, i), artifacts.ACScenario, c.Str(artifacts.ACScenario, i),
			artifacts.ACMode, c.Str(artifacts.ACMode, i), artifacts.ACTier, in.cfg.Tier); len(rs) > 0 {
			j := rs[0]
			tot = ci(ct.Num(artifacts.ACTotal, j), ct.Num(artifacts.ACTotalCILow, j), ct.Num(artifacts.ACTotalCIHigh, j))
		}
		t.rows = append(t.rows, []string{c.Str(artifacts.ACMode, i), c.Str(artifacts.ACBackend, i), c.Str(artifacts.ACScenario, i),
			ci(c.Num(artifacts.ACThroughput, i), c.Num(artifacts.ACThrCILow, i), c.Num(artifacts.ACThrCIHigh, i)),
			num(c.Num(artifacts.ACSeconds, i)),
			ci(c.Num(artifacts.ACEnergy, i), c.Num(artifacts.ACEnergyCILow, i), c.Num(artifacts.ACEnergyCIHi, i)),
			num(c.Num(artifacts.ACCarbon, i)), tot})
	}
	d.add(t)
	if f := in.t["tco"]; f != nil {
		d.h(3, "A.2 Total cost of ownership")
		t := table{source: in.src("tco"), header: []string{"Backend", "Tier", "Tokens/month", "Months", "Requests/month", "$ per month", "$ total"}}
		for _, i := range f.Rows(artifacts.ACTier, in.cfg.Tier) {
			t.rows = append(t.rows, []string{f.Str(artifacts.ACBackend, i), f.Str(artifacts.ACTier, i), num(f.Num(artifacts.ACTokensMonth, i)),
				num(f.Num(artifacts.ACMonths, i)), num(f.Num(artifacts.ACRequestsMonth, i)), num(f.Num(artifacts.ACUSDMonth, i)), num(f.Num(artifacts.ACUSDTotal, i))})
		}
		d.add(t)
	}
	if f := in.t["savings"]; f != nil {
		d.h(3, "A.3 Savings between backends")
		t := table{source: in.src("savings"), header: []string{"Backend", "Versus", "$ saved per month", "$ saved per year", "Fraction"}}
		for _, i := range f.Rows(artifacts.ACTier, in.cfg.Tier) {
			t.rows = append(t.rows, []string{f.Str(artifacts.ACBackend, i), f.Str(artifacts.ACVersus, i), num(f.Num(artifacts.ACSavingsMonth, i)),
				num(f.Num(artifacts.ACSavingsYear, i)), pct(f.Num(artifacts.ACSavingsPct, i))})
		}
		d.add(t)
	}
	if len(in.figs) > 0 {
		d.h(2, "Appendix B: Figures")
		d.p(fmt.Sprintf("From `figures` (%s, sha256 %s). Error bars are 95%% confidence intervals; n/a marks cells that were not measured.",
			in.figIndex.Stage, short(in.figIndex.SHA256)))
		for _, f := range in.figs {
			d.add(f)
		}
	}
}
