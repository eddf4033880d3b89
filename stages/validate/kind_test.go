package validate

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"

	"github.com/tr119/tr119/artifacts"
	"github.com/tr119/tr119/engine"
	"github.com/tr119/tr119/internal/golden"
	aio "github.com/tr119/tr119/stages/internal/analysisio"
	"github.com/tr119/tr119/stages/internal/analysistest"
)

// costTables writes one priced cell: 1000 s/1M at 36 W = 0.01 kWh/1M,
// with carbon grams per 1M as given.
func costTables(t *testing.T, dir string, carbon float64) (cells, tiers engine.Artifact) {
	t.Helper()
	c := &aio.Table{Schema: artifacts.CostCellsSchema()}
	c.Add("onnxruntime-gpu", "single_short", "prefill", "gpu", int64(1), int64(11), 7, 14, 4, 11.0,
		1000.0, nil, nil, 1000.0, 1000.0, nil, nil, 1000.0/3600, 36.0, 0.01, nil, nil, carbon, nil, nil, "gpu", "measured_counter", "")
	if err := c.WriteParquet(dir, "cells.parquet"); err != nil {
		t.Fatal(err)
	}
	tr := &aio.Table{Schema: artifacts.CostTiersSchema()}
	for _, x := range []struct {
		tier string
		rate float64
	}{{"on_demand", 1.006}, {"spot", 0.302}, {"energy_only", 0}} {
		infra := 1000.0 / 3600 * x.rate
		tr.Add("onnxruntime-gpu", "single_short", "prefill", "gpu", x.tier, x.rate, infra, 0.002, infra+0.002, nil, nil, nil)
	}
	if err := tr.WriteParquet(dir, "tiers.parquet"); err != nil {
		t.Fatal(err)
	}
	return analysistest.FileArtifact(t, filepath.Join(dir, "cells.parquet"), "stage.cost.t"),
		analysistest.FileArtifact(t, filepath.Join(dir, "tiers.parquet"), "stage.cost.t")
}

// costJSON writes the part of a cost stage's cost_analysis.json the
// checks read: 0.2 USD and 500 g per kWh, the dominant domain's total
// energy.
func costJSON(t *testing.T, dir string) engine.Artifact {
	t.Helper()
	doc := map[string]any{"schema": "cost_analysis/v1", "config": map[string]any{"usd_per_kwh": 0.2, "carbon_g_per_kwh": 500,
		"energy_policy": "dominant", "energy_basis": "total"}}
	if err := aio.WriteJSON(dir, "cost_analysis.json", doc); err != nil {
		t.Fatal(err)
	}
	return analysistest.FileArtifact(t, filepath.Join(dir, "cost_analysis.json"), "stage.cost.t")
}

func testConfig(t *testing.T, runs cty.Value, cells, tiers engine.Artifact, strict bool) cty.Value {
	return cty.ObjectVal(map[string]cty.Value{"runs": runs, "cost_cells": cells.Value(), "cost_tiers": tiers.Value(),
		"cost_json": costJSON(t, t.TempDir()).Value(), "strict": cty.BoolVal(strict)})
}

func TestRunValidAndGolden(t *testing.T) {
	dir := t.TempDir()
	runs := analysistest.List(analysistest.RunsArtifact(t, dir, analysistest.Small()))
	cells, tiers := costTables(t, dir, 5)
	r := analysistest.Run(t, testConfig(t, runs, cells, tiers, true))
	res, err := New().Run(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	out := analysistest.Outputs(t, r, res)
	var doc struct {
		OverallValid bool `json:"overall_valid"`
	}
	if err := json.Unmarshal(out["json"], &doc); err != nil || !doc.OverallValid {
		t.Errorf("overall_valid %v (%v): %s", doc.OverallValid, err, out["json"])
	}
	golden.Check(t, filepath.Join("testdata", "validation.golden.json"), out["json"])
}

func TestRunStrictFails(t *testing.T) {
	dir := t.TempDir()
	runs := analysistest.List(analysistest.RunsArtifact(t, dir, analysistest.Small()))
	// 4 g per 0.01 kWh is 400 g/kWh, not the declared 500.
	cells, tiers := costTables(t, dir, 4)
	_, err := New().Run(context.Background(), analysistest.Run(t, testConfig(t, runs, cells, tiers, true)))
	if err == nil || !strings.Contains(err.Error(), "carbon_factor onnxruntime-gpu/single_short/prefill") {
		t.Errorf("strict: %v", err)
	}
	r := analysistest.Run(t, testConfig(t, runs, cells, tiers, false))
	res, err := New().Run(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	if out := analysistest.Outputs(t, r, res); !bytes.Contains(out["json"], []byte(`"overall_valid": false`)) {
		t.Errorf("not strict: %s", out["json"])
	}
	// A runs table where a cost table belongs names the version.
	_, err = New().Run(context.Background(), analysistest.Run(t, testConfig(t, runs, tiers, tiers, false)))
	if err == nil || !strings.Contains(err.Error(), "want cost_cells/v1") {
		t.Errorf("wrong table: %v", err)
	}
}

func TestRunInputs(t *testing.T) {
	dir := t.TempDir()
	cells, tiers := costTables(t, dir, 5)
	costsOnly := cty.ObjectVal(map[string]cty.Value{"cost_cells": cells.Value(), "cost_tiers": tiers.Value(),
		"cost_json": costJSON(t, dir).Value(), "strict": cty.True})
	if _, err := New().Run(context.Background(), analysistest.Run(t, costsOnly)); err != nil {
		t.Errorf("costs only: %v", err)
	}
	halfCosts := cty.ObjectVal(map[string]cty.Value{"cost_cells": cells.Value()})
	if _, err := New().Run(context.Background(), analysistest.Run(t, halfCosts)); err == nil || !strings.Contains(err.Error(), "need cost_cells, cost_tiers and cost_json together") {
		t.Errorf("cost_cells alone: %v", err)
	}
	if _, err := New().Run(context.Background(), analysistest.Run(t, cty.EmptyObjectVal)); err == nil || !strings.Contains(err.Error(), "Set runs") {
		t.Errorf("no inputs: %v", err)
	}
}

// The factors come from the cost stage's json: a cell priced at 400 g/kWh
// fails against a cost stage that declared 400 only when the json says so.
func TestFactorsFromCostJSON(t *testing.T) {
	dir := t.TempDir()
	cells, tiers := costTables(t, dir, 4)
	doc := map[string]any{"config": map[string]any{"usd_per_kwh": 0.2, "carbon_g_per_kwh": 400,
		"energy_policy": "dominant", "energy_basis": "total"}}
	if err := aio.WriteJSON(dir, "cost_analysis.json", doc); err != nil {
		t.Fatal(err)
	}
	js := analysistest.FileArtifact(t, filepath.Join(dir, "cost_analysis.json"), "stage.cost.t")
	cfg := cty.ObjectVal(map[string]cty.Value{"cost_cells": cells.Value(), "cost_tiers": tiers.Value(),
		"cost_json": js.Value(), "strict": cty.True})
	if _, err := New().Run(context.Background(), analysistest.Run(t, cfg)); err != nil {
		t.Errorf("400 g/kWh cells against a 400 g/kWh cost stage: %v", err)
	}
	if err := aio.WriteJSON(dir, "bad.json", map[string]any{"config": map[string]any{}}); err != nil {
		t.Fatal(err)
	}
	bad := analysistest.FileArtifact(t, filepath.Join(dir, "bad.json"), "stage.cost.t")
	cfg = cty.ObjectVal(map[string]cty.Value{"cost_cells": cells.Value(), "cost_tiers": tiers.Value(), "cost_json": bad.Value()})
	if _, err := New().Run(context.Background(), analysistest.Run(t, cfg)); err == nil || !strings.Contains(err.Error(), "cost_json") {
		t.Errorf("a json without the factors: %v", err)
	}
}
