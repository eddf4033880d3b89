package validate

import "github.com/tr119/tr119/engine"

// StageInputs lets a pipeline pass whole stages: cost = stage.cost.NAME
// (cost_cells, cost_tiers, cost_json) and benchmarks =
// stage.benchmark.NAME (runs, environments) instead of one attribute per
// artifact.
func (Kind) StageInputs() []engine.StageInput {
	return []engine.StageInput{
		{Attr: "cost", Kind: "cost", Doc: "A whole cost stage: its cells, cell_tiers and json.",
			Fills: map[string]string{"cells": "cost_cells", "cell_tiers": "cost_tiers", "json": "cost_json"}},
		{Attr: "benchmarks", Kind: "benchmark", Many: true, Doc: "Benchmark stages (a list, or one with for_each): their runs and environment tables.",
			Fills: map[string]string{"runs": "runs", "environment": "environments"}},
	}
}
