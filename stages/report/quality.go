package report

import (
	"fmt"
	"math"

	"github.com/tr119/tr119/artifacts"
	"github.com/tr119/tr119/internal/frame"
)

// maxFindings caps the findings listed; the table artifact has them all.
const maxFindings = 40

// quality writes section 6: coverage per cell and the validate stage's
// findings.
func (in *input) quality(d *doc) {
	d.h(2, "6. Data quality and validation")
	f := in.t["cells"]
	t := table{source: in.src("cells"), header: []string{"Mode", "Backend", "Scenario", "n (reps)", "Rows used", "Rows excluded", "Energy source", "Energy note"}}
	var excluded float64
	minN := math.Inf(1)
	for i := 0; i < f.Len; i++ {
		excluded += f.Num(artifacts.ACExcluded, i)
		minN = math.Min(minN, f.Num(artifacts.ACN, i))
		t.rows = append(t.rows, []string{f.Str(artifacts.ACMode, i), f.Str(artifacts.ACBackend, i), f.Str(artifacts.ACScenario, i),
			num(f.Num(artifacts.ACN, i)), num(f.Num(artifacts.ACRows, i)), num(f.Num(artifacts.ACExcluded, i)),
			f.Str(artifacts.ACSource, i), dash(f.Str(artifacts.ACReason, i))})
	}
	if f.Len > 0 {
		d.p(fmt.Sprintf("%d cells; the smallest has n = %s repetitions; %s rows were excluded (warmups, drift checks, degraded calls).",
			f.Len, num(minN), num(excluded)))
	}
	d.add(t)
	if len(in.valids) == 0 {
		d.p("No validation table was given to the report.")
		return
	}
	for k, v := range in.valids {
		in.validation(d, k, v)
	}
}

// validation writes one validate stage's verdict and findings;
// validation_json[k] is the summary of validation[k].
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
		header: []string{"Severity", "Check", "Mode", "Backend", "Scenario", "Message"}}
	for i := 0; i < v.Len && i < maxFindings; i++ {
		t.rows = append(t.rows, []string{v.Str(artifacts.AVSeverity, i), v.Str(artifacts.AVCheck, i), dash(v.Str(artifacts.ACMode, i)),
			dash(v.Str(artifacts.ACBackend, i)), dash(v.Str(artifacts.ACScenario, i)), v.Str(artifacts.AVMessage, i)})
	}
	if v.Len > 0 {
		d.add(t)
	}
	if v.Len > maxFindings {
		d.p(fmt.Sprintf("%d more findings are in the validation table.", v.Len-maxFindings))
	}
}

// statistics writes section 10 from the stats tables.
func (in *input) statistics(d *doc) {
	g, ts, pw := in.t["stats_groups"], in.t["stats_tests"], in.t["stats_pairwise"]
	if g == nil && ts == nil && pw == nil {
		return
	}
	d.h(2, "10. Statistics")
	d.p("Across scenarios per mode: each backend's per-scenario cost is a sample (n = scenarios). Tests compare backends within a mode, " +
		"on total cost, or on infra cost alone (metric " + artifacts.ACInfra + ") in a mode where no cell has measured energy.")
	if g != nil {
		t := table{source: in.src("stats_groups"), header: []string{"Mode", "Backend", "Tier", "Metric", "n", "Mean ($/1M)", "95% CI", "Std"}}
		for i := 0; i < g.Len; i++ {
			t.rows = append(t.rows, []string{g.Str(artifacts.ACMode, i), g.Str(artifacts.ACBackend, i), g.Str(artifacts.ACTier, i), g.Str(artifacts.ASMetric, i),
				num(g.Num(artifacts.ACN, i)), num(g.Num(artifacts.ASMean, i)), ciRange(g.Num(artifacts.ASCILow, i), g.Num(artifacts.ASCIHigh, i)),
				num(g.Num(artifacts.ASStd, i))})
		}
		d.add(t)
	}
	if ts != nil && ts.Len > 0 {
		t := table{source: in.src("stats_tests"), header: []string{"Mode", "Test", "Statistic", "df1", "df2", "p", "Groups", "N"}}
		var sig []string
		for i := 0; i < ts.Len; i++ {
			p := ts.Num(artifacts.ASPValue, i)
			t.rows = append(t.rows, []string{ts.Str(artifacts.ACMode, i), testName(ts.Str(artifacts.ASTest, i)), num(ts.Num(artifacts.ASStatistic, i)),
				num(ts.Num(artifacts.ASDF1, i)), num(ts.Num(artifacts.ASDF2, i)), pval(p), num(ts.Num(artifacts.ASGroups, i)), num(ts.Num(artifacts.ACN, i))})
			word := "do not differ significantly"
			if p < 0.05 {
				word = "differ significantly"
			}
			sig = append(sig, fmt.Sprintf("%s, %s: backends %s at 5%% (p = %s).", ts.Str(artifacts.ACMode, i), testName(ts.Str(artifacts.ASTest, i)), word, pval(p)))
		}
		d.add(t)
		d.list(sig...)
	}
	if pw != nil && pw.Len > 0 {
		t := table{source: in.src("stats_pairwise"), header: []string{"Mode", "A", "B", "Mean A", "Mean B", "% change (B vs A)", "Cohen's d",
			"Student p", "Student p (Holm)", "Welch p", "Welch p (Holm)"}}
		for i := 0; i < pw.Len; i++ {
			t.rows = append(t.rows, []string{pw.Str(artifacts.ACMode, i), pw.Str(artifacts.ASBackendA, i), pw.Str(artifacts.ASBackendB, i),
				num(pw.Num(artifacts.ASMeanA, i)), num(pw.Num(artifacts.ASMeanB, i)), num(pw.Num(artifacts.ASPctChange, i)),
				num(pw.Num(artifacts.ASCohensD, i)), pval(pw.Num(artifacts.ASStudentP, i)), pval(pw.Num(artifacts.ASStudentPH, i)),
				pval(pw.Num(artifacts.ASWelchP, i)), pval(pw.Num(artifacts.ASWelchPH, i))})
		}
		d.add(t)
	}
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
