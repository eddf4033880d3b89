package report

import (
	"fmt"
	"math"

	"github.com/tr119/tr119/artifacts"
)

// alpha is the significance level of the report's statements.
const alpha = 0.05

// verdict says whether two backends' costs in a mode differ, from the
// test that fits the design: the paired test over the shared scenarios
// (stats_pairwise), or, with one scenario, Welch over the repetitions of
// that scenario (stats_cell_pairwise). Both are Holm-corrected.
type verdict struct {
	tested      bool
	significant bool
	p           float64
	test        string // what was tested, for the reader
	perScenario bool   // the claim holds in the scenarios measured (per-cell tests)
	why         string // why nothing could be tested
	settle      string // what would settle it
}

func (v verdict) words() string {
	switch {
	case !v.tested:
		return "cannot tell whether this difference is real: " + v.why
	case v.significant:
		return fmt.Sprintf("a significant difference (%s, Holm-corrected %s)", v.test, pIs(v.p))
	}
	return fmt.Sprintf("not a significant difference at 5%% (%s, Holm-corrected %s)", v.test, pIs(v.p))
}

// detail is the test and its p-value, or why there is none.
func (v verdict) detail() string {
	if !v.tested {
		return v.why
	}
	return fmt.Sprintf("%s, Holm-corrected %s", v.test, pIs(v.p))
}

// pairVerdict tests backend a against b in a mode. A difference counts
// when the paired test over the shared scenarios finds it, or when Welch's
// test over the repetitions finds it in every shared scenario, in the
// same direction (then the claim is about the scenarios measured).
func (in *input) pairVerdict(mode, a, b string) verdict {
	pw, cp := in.t["stats_pairwise"], in.t["stats_cell_pairwise"]
	if pw == nil && cp == nil {
		return verdict{why: "no statistics table was given to the report", settle: "give the report the stats stage's pairwise tables"}
	}
	var paired, cells verdict
	if pw != nil {
		for _, i := range pw.Rows(artifacts.ACMode, mode) {
			if !samePair(pw.Str(artifacts.ASBackendA, i), pw.Str(artifacts.ASBackendB, i), a, b) {
				continue
			}
			n, p := pw.Num(artifacts.ASPairedN, i), pw.Num(artifacts.ASPairedPH, i)
			if !math.IsNaN(p) {
				paired = verdict{tested: true, significant: p < alpha, p: p,
					test: fmt.Sprintf("paired test of the per-scenario cost ratios over %s scenarios", count(n)), settle: "more scenarios and repetitions"}
			}
		}
	}
	if cp != nil {
		var rows []int
		for _, i := range cp.Rows(artifacts.ACMode, mode) {
			if samePair(cp.Str(artifacts.ASBackendA, i), cp.Str(artifacts.ASBackendB, i), a, b) {
				rows = append(rows, i)
			}
		}
		worst, dir, same := 0.0, 0.0, true
		for _, i := range rows {
			p := cp.Num(artifacts.ASWelchPH, i)
			if math.IsNaN(p) {
				worst = math.NaN()
				break
			}
			worst = math.Max(worst, p)
			d := math.Copysign(1, cp.Num(artifacts.ASRatio, i)-1)
			if dir != 0 && d != dir {
				same = false
			}
			dir = d
		}
		if len(rows) > 0 && !math.IsNaN(worst) {
			what := fmt.Sprintf("Welch's test over the repetitions, in each of %s", plural(len(rows), "scenario", "scenarios"))
			if len(rows) == 1 {
				what = fmt.Sprintf("Welch's test over the repetitions of the one scenario, %s", tick(cp.Str(artifacts.ACScenario, rows[0])))
			}
			cells = verdict{tested: true, significant: worst < alpha && same, p: worst, test: what, perScenario: true,
				settle: "more repetitions per cell and more scenarios"}
		}
	}
	switch {
	case paired.significant:
		return paired
	case cells.significant:
		return cells
	case paired.tested:
		return paired
	case cells.tested:
		return cells
	}
	return verdict{why: "too few repetitions or scenarios for a test (a paired test needs 2 shared scenarios; a per-cell test 2 repetitions per side with some variation)",
		settle: "more repetitions per cell (3 or more) and at least 2 scenarios"}
}

func samePair(x, y, a, b string) bool { return (x == a && y == b) || (x == b && y == a) }
