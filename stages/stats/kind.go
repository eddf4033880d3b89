package stats

import (
	"context"
	"fmt"
	"slices"

	"github.com/zclconf/go-cty/cty"

	"github.com/tr119/tr119/analysis/runs"
	"github.com/tr119/tr119/engine"
	"github.com/tr119/tr119/schema"
	aio "github.com/tr119/tr119/stages/internal/analysisio"
)

// Version is the kind's implementation version: bump it whenever the same
// inputs would give other output bytes.
const Version = "3"

var outputs = []aio.Output{
	{Name: "cells", File: "stats_cells.parquet", Doc: "stats_cells/v1: from the cost stage's reps, per cell and metric, n, mean, std, median, min, max and the 95% t-CI over repetitions."},
	{Name: "groups", File: "stats_groups.parquet", Doc: "stats_groups/v2: per mode and backend, the tier's cost across scenarios: mean, 95% CI (t, or seeded bootstrap where t would reach below zero), n."},
	{Name: "tests", File: "stats_tests.parquet", Doc: "stats_tests/v1: per mode, one-way ANOVA and Kruskal-Wallis across backends."},
	{Name: "pairwise", File: "stats_pairwise.parquet", Doc: "stats_pairwise/v2: per mode and pair of backends, % change, Cohen's d, Student and Welch t-tests (the report's), the paired log-ratio test over shared scenarios, Holm-corrected p."},
	{Name: "cell_pairwise", File: "stats_cell_pairwise.parquet", Doc: "stats_cell_pairwise/v1: per mode, scenario and pair of backends, Welch's test of the per-repetition cost, Holm-corrected across the mode."},
	{Name: "json", File: jsonFile, Doc: "groups, tests and pairwise comparisons as JSON, with notes on what could not be computed."},
}

const jsonFile = "statistical_analysis.json"

// Kind is the stats stage kind.
type Kind struct{}

// New returns the stats stage kind.
func New() engine.Kind { return Kind{} }

// Info implements engine.Kind.
func (Kind) Info() engine.KindInfo {
	info := engine.KindInfo{Name: "stats", Version: Version, Deterministic: true,
		Doc: "Per-cell descriptive statistics over repetitions and, per mode across scenarios, each backend's mean " +
			"cost with 95% CI, ANOVA, Kruskal-Wallis and pairwise Student/Welch t-tests with Cohen's d and Holm correction."}
	info.Outputs = aio.OutputInfos(outputs)
	return info
}

// Schema implements engine.Kind.
func (Kind) Schema() *schema.Body { return bodySchema() }

// Run implements engine.Kind.
func (Kind) Run(ctx context.Context, r *engine.Run) (*engine.Result, error) {
	c, err := decode(r.Config)
	if err != nil {
		return nil, fmt.Errorf("stats: %w", err)
	}
	var notes []string
	var cells []runs.Cell
	if c.Reps.Available {
		if cells, err = readReps(c.Reps); err != nil {
			return nil, fmt.Errorf("stats: %w", err)
		}
	} else {
		notes = append(notes, fmt.Sprintf("reps from %s unavailable (%s): no cell statistics", c.Reps.Stage, c.Reps.Reason))
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	tables := map[string]*aio.Table{"cells": cellTable(cells, c.Level)}
	var costs []costRow
	tier := ""
	if c.Tier != nil {
		tier = *c.Tier
	}
	switch {
	case c.Costs == nil:
		notes = append(notes, "no costs given: across-scenario tests skipped")
	case !c.Costs.Available:
		notes = append(notes, fmt.Sprintf("costs from %s unavailable (%s): across-scenario tests skipped", c.Costs.Stage, c.Costs.Reason))
	default:
		if costs, tier, err = readCosts(*c.Costs, tier); err != nil {
			return nil, fmt.Errorf("stats: %w", err)
		}
	}
	var testNotes []string
	if tier == "" {
		tier = "on_demand"
	}
	tables["cell_pairwise"] = cellPairs(slices.Clone(costs), cells, tier)
	tables["groups"], tables["tests"], tables["pairwise"], testNotes = compare(costs, tier, c.Level)
	notes = append(notes, testNotes...)
	out := map[string]string{}
	for _, o := range outputs {
		if o.Name == "json" {
			continue
		}
		if err := tables[o.Name].WriteParquet(r.OutDir, o.File); err != nil {
			return nil, fmt.Errorf("stats: %w", err)
		}
		out[o.Name] = o.File
	}
	if notes == nil {
		notes = []string{}
	}
	doc := map[string]any{
		"schema": "statistical_analysis/v2", "tier": tier, "confidence": c.Level,
		"groups": tables["groups"].Objects(), "tests": tables["tests"].Objects(),
		"pairwise": tables["pairwise"].Objects(), "cell_pairwise": tables["cell_pairwise"].Objects(), "notes": notes,
	}
	if err := aio.WriteJSON(r.OutDir, jsonFile, doc); err != nil {
		return nil, fmt.Errorf("stats: %w", err)
	}
	out["json"] = jsonFile
	for _, n := range notes {
		r.Log.Info(n)
	}
	return &engine.Result{Outputs: out}, nil
}

// CheckUpstream implements engine.UpstreamChecker: the tier must be one
// the cost stage it reads prices.
func (Kind) CheckUpstream(config cty.Value, upstream []engine.Upstream, _ string) []*schema.PathError {
	return aio.CheckTier(config, upstream)
}
