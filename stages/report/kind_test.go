package report

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"

	"github.com/tr119/tr119/engine"
	"github.com/tr119/tr119/internal/golden"
	"github.com/tr119/tr119/stages/internal/analysistest"
	"github.com/tr119/tr119/stages/internal/reporttest"
	"github.com/tr119/tr119/stages/plot"
)

// costStatsInputs maps the report's table attributes to the fixture's
// cost and stats outputs.
var costStatsInputs = map[string]string{"cells": "cost.cells", "cell_tiers": "cost.cell_tiers", "summary": "cost.summary",
	"winners": "cost.winners", "requests": "cost.requests", "tco": "cost.tco", "savings": "cost.savings", "cost_json": "cost.json",
	"stats_groups": "stats.groups", "stats_tests": "stats.tests", "stats_pairwise": "stats.pairwise",
	"stats_cell_pairwise": "stats.cell_pairwise"}

// withCostStats adds the fixture's cost and stats tables to a report body.
func withCostStats(m map[string]cty.Value, fx map[string]engine.Artifact) cty.Value {
	for attr, out := range costStatsInputs {
		m[attr] = fx[out].Value()
	}
	return cty.ObjectVal(m)
}

// fixtureConfig is a report body over the whole fixture, figures included.
func fixtureConfig(t testing.TB, fx map[string]engine.Artifact) cty.Value {
	t.Helper()
	pr := analysistest.Run(t, cty.ObjectVal(map[string]cty.Value{
		"cells": fx["cost.cells"].Value(), "cell_tiers": fx["cost.cell_tiers"].Value(),
		"summary": fx["cost.summary"].Value(), "stats_cells": fx["stats.cells"].Value(),
	}))
	pr.Addr = "stage.plot.figs"
	res, err := plot.New().Run(context.Background(), pr)
	if err != nil {
		t.Fatal(err)
	}
	figs := engine.Artifact{Path: filepath.Join(pr.OutDir, res.Outputs["figures"]), SHA256: strings.Repeat("f", 64),
		Dir: true, Stage: pr.Addr, Available: true}
	return withCostStats(map[string]cty.Value{"title": cty.StringVal("Fixture report"), "figures": figs.Value(),
		"runs": analysistest.List(fx["import.table"])}, fx)
}

// render runs the report kind and returns its two outputs. The report
// prints hashes and stage names, never paths, so goldens are stable.
func render(t *testing.T, cfg cty.Value) (md, html []byte) {
	t.Helper()
	r := analysistest.Run(t, cfg)
	res, err := New().Run(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	out := analysistest.Outputs(t, r, res)
	return out["markdown"], out["html"]
}

func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	p := filepath.Join("testdata", name)
	golden.Check(t, p, got)
}

func TestReportGoldenAndDeterministic(t *testing.T) {
	fx := reporttest.Fixture(t, 1.006)
	cfg := fixtureConfig(t, fx)
	md1, html1 := render(t, cfg)
	md2, html2 := render(t, cfg)
	if !bytes.Equal(md1, md2) || !bytes.Equal(html1, html2) {
		t.Fatal("two renders of the same artifacts differ")
	}
	checkGolden(t, "report.md.golden", md1)
	for _, want := range []string{"**Recommendation: `onnxruntime-cpu`**", "Energy unavailable for 4 cells", "RAPL energy_uj not readable",
		"`generate` is uncached", "Kruskal-Wallis", "Single hardware", "Appendix B", "sha256 ", "Contents:", "## 10. Reproducibility",
		"**Figure 1.**"} {
		if !bytes.Contains(md1, []byte(want)) {
			t.Errorf("report lacks %q", want)
		}
	}
}

// TestRepricingShowsNewNumbers re-prices the same runs at another GPU rate:
// the report changes and shows the new on-demand rate's totals.
func TestRepricingShowsNewNumbers(t *testing.T) {
	a := reporttest.Fixture(t, 1.006)
	b := reporttest.Fixture(t, 2.5)
	if a["import.table"].SHA256 != b["import.table"].SHA256 {
		t.Fatal("fixture runs differ between pricings")
	}
	mdA, _ := render(t, fixtureConfig(t, a))
	mdB, _ := render(t, fixtureConfig(t, b))
	if bytes.Equal(mdA, mdB) {
		t.Fatal("re-priced report is identical")
	}
	if !bytes.Contains(mdB, []byte("gpu: 2.5")) || bytes.Contains(mdB, []byte("gpu: 1.006")) {
		t.Error("re-priced report does not show the new GPU rate")
	}
}

// TestSmallerMatrices renders the report for smaller measurements: the
// report gets shorter and says only what its data supports.
func TestSmallerMatrices(t *testing.T) {
	tests := []struct {
		name      string
		keep      func(backend, scenario string) bool
		want, not []string
	}{
		{"two backends one scenario", func(b, s string) bool { return b != "transformers-cpu" && s == "single_short" },
			[]string{"**Recommendation: `onnxruntime-cpu`**", "Only 1 scenario per mode"},
			[]string{"transformers-cpu", "single_medium", "winner flips", "Energy unavailable"}},
		{"one backend without energy", func(b, s string) bool { return b == "transformers-cpu" },
			[]string{"Only one backend was measured (`transformers-cpu`)", "Energy unavailable for 4 cells"},
			[]string{"Recommendation", "is cheapest", "onnxruntime", "The cheapest backend"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fx := reporttest.FixtureOf(t, reporttest.Subset(t, tc.keep), 1.006)
			md, _ := render(t, fixtureConfig(t, fx))
			for _, w := range tc.want {
				if !bytes.Contains(md, []byte(w)) {
					t.Errorf("report lacks %q", w)
				}
			}
			for _, w := range tc.not {
				if bytes.Contains(md, []byte(w)) {
					t.Errorf("report says %q", w)
				}
			}
		})
	}
	// Only the required tables: sections without inputs are left out.
	fx := reporttest.Fixture(t, 1.006)
	cfg := cty.ObjectVal(map[string]cty.Value{"cells": fx["cost.cells"].Value(),
		"cell_tiers": fx["cost.cell_tiers"].Value(), "summary": fx["cost.summary"].Value()})
	md, _ := render(t, cfg)
	if bytes.Contains(md, []byte("Appendix B")) || bytes.Contains(md, []byte("Statistics")) {
		t.Error("sections without inputs were rendered")
	}
}

func TestBadInput(t *testing.T) {
	fx := reporttest.Fixture(t, 1.006)
	tests := []struct {
		name string
		cfg  map[string]cty.Value
		want string
	}{
		{"no summary", map[string]cty.Value{"cells": fx["cost.cells"].Value(), "cell_tiers": fx["cost.cell_tiers"].Value()}, "summary: summary is required"},
		{"wrong table", map[string]cty.Value{"cells": fx["cost.cells"].Value(), "cell_tiers": fx["cost.cell_tiers"].Value(),
			"summary": fx["cost.winners"].Value()}, "cost_summary/"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New().Run(context.Background(), analysistest.Run(t, cty.ObjectVal(tc.cfg)))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}
