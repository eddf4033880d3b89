package plot

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"

	"github.com/tr119/tr119/stages/internal/analysistest"
	"github.com/tr119/tr119/stages/internal/reporttest"
)

// Where no cell has a total (no energy measured: the fixture's
// transformers-cpu alone), the cost figures show infra cost and say so,
// and the by-tier figure leaves out energy-only, which has no infra part.
func TestCostFiguresFallBackToInfra(t *testing.T) {
	csv := reporttest.Subset(t, func(backend, _ string) bool { return backend == "transformers-cpu" })
	fx := reporttest.FixtureOf(t, csv, 1.006)
	r := analysistest.Run(t, cty.ObjectVal(map[string]cty.Value{
		"cells": fx["cost.cells"].Value(), "cell_tiers": fx["cost.cell_tiers"].Value(),
		"summary": fx["cost.summary"].Value(), "stats_cells": cty.NullVal(fx["cost.cells"].Value().Type()),
		"tier": cty.StringVal("on_demand"),
	}))
	res, err := New().Run(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(r.OutDir, res.Outputs["figures"])
	want := map[string]string{
		"prefill_total_cost":         "infra_usd_per_1m",
		"prefill_cost_by_tier":       "infra_usd_per_1m_by_tier",
		"prefill_cost_vs_throughput": "infra_usd_per_1m_vs_throughput",
	}
	seen := 0
	for _, f := range readIndex(t, dir).Figures {
		m, ok := want[f.ID]
		if !ok {
			continue
		}
		seen++
		if f.Metric != m || !strings.Contains(f.Title, "energy not measured") {
			t.Errorf("%s: metric %q title %q, want %q and a note", f.ID, f.Metric, f.Title, m)
		}
		svg, err := os.ReadFile(filepath.Join(dir, f.SVG))
		if err != nil {
			t.Fatal(err)
		}
		if f.ID == "prefill_cost_by_tier" && strings.Contains(string(svg), "energy_only") {
			t.Errorf("%s: energy_only drawn without energy", f.ID)
		}
	}
	if seen != len(want) {
		t.Errorf("found %d of the %d cost figures", seen, len(want))
	}
}
