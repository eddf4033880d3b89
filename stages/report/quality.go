package report

import (
	"fmt"
	"math"
	"strings"

	"github.com/tr119/tr119/artifacts"
	"github.com/tr119/tr119/internal/frame"
)

// maxFindings caps the findings listed; the table artifact has them all.
const maxFindings = 40

// quality writes section 6: coverage per cell, the energy sources merged
// into one line per source and reason, and the validate stages' findings.
func (in *input) quality(d *doc) {
	d.section("Data quality and validation")
	f := in.t["cells"]
	t := table{source: in.src("cells"), header: []string{"Mode", "Backend", "Scenario", "n (reps)", "Rows used", "Rows excluded", "Energy source"}}
	var excluded float64
	minN := math.Inf(1)
	type group struct {
		cells    int
		backends map[string]bool
	}
	energy := map[string]*group{} // "source: reason" -> cells
	for i := 0; i < f.Len; i++ {
		excluded += f.Num(artifacts.ACExcluded, i)
		minN = math.Min(minN, f.Num(artifacts.ACN, i))
		src := f.Str(artifacts.ACSource, i)
		t.rows = append(t.rows, []string{f.Str(artifacts.ACMode, i), f.Str(artifacts.ACBackend, i), f.Str(artifacts.ACScenario, i),
			count(f.Num(artifacts.ACN, i)), count(f.Num(artifacts.ACRows, i)), count(f.Num(artifacts.ACExcluded, i)), src})
		k := src
		if r := f.Str(artifacts.ACReason, i); r != "" {
			k += ": " + r
		}
		g := energy[k]
		if g == nil {
			g = &group{backends: map[string]bool{}}
			energy[k] = g
		}
		g.cells++
		g.backends[f.Str(artifacts.ACBackend, i)] = true
	}
	if f.Len > 0 {
		d.p(fmt.Sprintf("%s; the smallest has n = %s repetitions; %s rows were excluded (warmups, drift checks, degraded calls).",
			plural(f.Len, "cell", "cells"), count(minN), count(excluded)))
	}
	var lines []string
	for _, k := range sortedMapKeys(energy) {
		g := energy[k]
		lines = append(lines, fmt.Sprintf("%s (%s): %s", plural(g.cells, "cell", "cells"), joinTicks(sortedMapKeys(g.backends)), k))
	}
	d.p("Energy sources:")
	d.list(lines...)
	d.table(t, "The cost stage's cells table has no row.")
	if len(in.valids) == 0 {
		d.p("No validation table was given to the report.")
		return
	}
	for k, v := range in.valids {
		in.validation(d, k, v)
	}
}

// validation writes one validate stage's verdict and findings;
// validation_json[k] is the summary of validation[k]. Findings that
// repeat one check and message over many cells become one row with the
// cells counted.
func (in *input) validation(d *doc, k int, v *frame.Frame) {
	a := in.validArts[k]
	counts := map[string]int{}
	for i := 0; i < v.Len; i++ {
		counts[v.Str(artifacts.AVSeverity, i)]++
	}
	verdict := ""
	if k < len(in.validJSONs) {
		if ok, has := in.validJSONs[k]["overall_valid"].(bool); has {
			verdict = " Its verdict: overall_valid = " + fmt.Sprint(ok) + "."
		}
	}
	d.p(fmt.Sprintf("%s reported %d fail, %d warn and %d info findings.%s", tick(a.Stage), counts["fail"], counts["warn"], counts["info"], verdict))
	t := table{source: fmt.Sprintf("`validation[%d]` from %s (sha256 %s)", k, a.Stage, short(a.SHA256)),
		header: []string{"Severity", "Check", "Cells", "Message"}}
	type key struct{ sev, check, msg string }
	var order []key
	cells := map[key][]string{}
	for i := 0; i < v.Len; i++ {
		k := key{v.Str(artifacts.AVSeverity, i), v.Str(artifacts.AVCheck, i), v.Str(artifacts.AVMessage, i)}
		if _, ok := cells[k]; !ok {
			order = append(order, k)
		}
		c := strings.Trim(v.Str(artifacts.ACBackend, i)+"/"+v.Str(artifacts.ACScenario, i)+"/"+v.Str(artifacts.ACMode, i), "/")
		cells[k] = append(cells[k], c)
	}
	for i, k := range order {
		if i == maxFindings {
			d.add(t)
			d.p(fmt.Sprintf("%d more kinds of finding are in the validation table.", len(order)-maxFindings))
			return
		}
		cs := cells[k]
		where := strings.Join(cs, ", ")
		if len(cs) > 3 {
			where = fmt.Sprintf("%d cells (%s, ...)", len(cs), strings.Join(cs[:2], ", "))
		}
		if where == "" {
			where = "-"
		}
		t.rows = append(t.rows, []string{k.sev, k.check, where, k.msg})
	}
	d.table(t, "It found nothing to report.")
}

// statistics writes section 7 from the stats tables.
func (in *input) statistics(d *doc) {
	g, ts, pw, cp := in.t["stats_groups"], in.t["stats_tests"], in.t["stats_pairwise"], in.t["stats_cell_pairwise"]
	if g == nil && ts == nil && pw == nil && cp == nil {
		return
	}
	d.section("Statistics")
	d.p("Backends are compared within a mode on total cost, or on infra cost for every backend (metric " + artifacts.ACInfra +
		") where one lacks energy. Across scenarios each backend's per-scenario cost is a sample (n = scenarios); as every backend runs the same scenarios, " +
		"the test that fits the design is the **paired** test of the per-scenario cost ratios. The pooled Student and Welch tests are the TR119 report's " +
		"(scenarios as independent samples), kept for fidelity. Within a scenario, Welch's test compares the repetitions. All p-values are Holm-corrected within a mode.")
	if g != nil {
		t := table{source: in.src("stats_groups"), header: []string{"Mode", "Backend", "Metric", "n", "Mean ($/1M)", "95% CI", "CI method", "Std"}}
		for i := 0; i < g.Len; i++ {
			t.rows = append(t.rows, []string{g.Str(artifacts.ACMode, i), g.Str(artifacts.ACBackend, i), g.Str(artifacts.ASMetric, i),
				count(g.Num(artifacts.ACN, i)), num(g.Num(artifacts.ASMean, i)), ciRange(g.Num(artifacts.ASCILow, i), g.Num(artifacts.ASCIHigh, i)),
				dash(g.Str(artifacts.ASCIMethod, i)), num(g.Num(artifacts.ASStd, i))})
		}
		d.table(t, "The groups table has no row.")
	}
	if ts != nil {
		in.omnibus(d, ts, g)
	}
	if pw != nil {
		t := table{source: in.src("stats_pairwise"), header: []string{"Mode", "A", "B", "Paired n", "Ratio B/A [95% CI]", "Paired p (Holm)",
			"Mean A", "Mean B", "Cohen's d", "Student p (Holm)", "Welch p (Holm)"}}
		for i := 0; i < pw.Len; i++ {
			t.rows = append(t.rows, []string{pw.Str(artifacts.ACMode, i), pw.Str(artifacts.ASBackendA, i), pw.Str(artifacts.ASBackendB, i),
				count(pw.Num(artifacts.ASPairedN, i)), ci(pw.Num(artifacts.ASPairedR, i), pw.Num(artifacts.ASPairedLo, i), pw.Num(artifacts.ASPairedHi, i)),
				pval(pw.Num(artifacts.ASPairedPH, i)), num(pw.Num(artifacts.ASMeanA, i)), num(pw.Num(artifacts.ASMeanB, i)),
				num(pw.Num(artifacts.ASCohensD, i)), pval(pw.Num(artifacts.ASStudentPH, i)), pval(pw.Num(artifacts.ASWelchPH, i))})
		}
		d.table(t, "No pair of backends shares a mode: nothing to compare pairwise.")
	}
	if cp != nil {
		t := table{source: in.src("stats_cell_pairwise"), header: []string{"Mode", "Scenario", "A", "B", "n A", "n B", "Ratio B/A", "Welch p (Holm)"}}
		for i := 0; i < cp.Len; i++ {
			t.rows = append(t.rows, []string{cp.Str(artifacts.ACMode, i), cp.Str(artifacts.ACScenario, i), cp.Str(artifacts.ASBackendA, i),
				cp.Str(artifacts.ASBackendB, i), count(cp.Num(artifacts.ASNA, i)), count(cp.Num(artifacts.ASNB, i)),
				num(cp.Num(artifacts.ASRatio, i)), pval(cp.Num(artifacts.ASWelchPH, i))})
		}
		d.table(t, "No scenario has two backends: nothing to compare within a scenario.")
	}
}

// omnibus writes the ANOVA and Kruskal-Wallis rows and what they say; a
// mode whose groups hold one value each cannot be tested.
func (in *input) omnibus(d *doc, ts, g *frame.Frame) {
	t := table{source: in.src("stats_tests"), header: []string{"Mode", "Test", "Statistic", "df1", "df2", "p", "Groups", "N"}}
	var words []string
	for i := 0; i < ts.Len; i++ {
		p := ts.Num(artifacts.ASPValue, i)
		t.rows = append(t.rows, []string{ts.Str(artifacts.ACMode, i), testName(ts.Str(artifacts.ASTest, i)), num(ts.Num(artifacts.ASStatistic, i)),
			num(ts.Num(artifacts.ASDF1, i)), num(ts.Num(artifacts.ASDF2, i)), pval(p), count(ts.Num(artifacts.ASGroups, i)), count(ts.Num(artifacts.ACN, i))})
		word := "do not differ significantly"
		if p < alpha {
			word = "differ significantly"
		}
		words = append(words, fmt.Sprintf("%s, %s: backends %s at 5%% (%s).", ts.Str(artifacts.ACMode, i), testName(ts.Str(artifacts.ASTest, i)), word, pIs(p)))
	}
	if g != nil {
		for _, m := range modes(g) {
			if len(ts.Rows(artifacts.ACMode, m)) == 0 {
				words = append(words, fmt.Sprintf("%s: the across-scenario tests cannot tell whether backends differ (one value per backend, or no variation): they were not run.", m))
			}
		}
	}
	d.table(t, "No omnibus test could run: each mode has one value per backend (one scenario) or one backend.")
	d.list(words...)
}

func ciRange(lo, hi float64) string {
	if math.IsNaN(lo) || math.IsNaN(hi) {
		return "n/a"
	}
	return fmt.Sprintf("[%s, %s]", num(lo), num(hi))
}

// testName is the display name of a stats_tests test id.
func testName(id string) string {
	switch id {
	case "anova":
		return "one-way ANOVA"
	case "kruskal_wallis":
		return "Kruskal-Wallis"
	}
	return id
}
