package report

import "github.com/tr119/tr119/engine"

// StageInputs lets a pipeline pass whole stages: cost = stage.cost.NAME,
// stats = stage.stats.NAME, validate = [stage.validate.NAME, ...],
// plot = stage.plot.NAME and benchmarks = stage.benchmark.NAME (with
// for_each: every instance) instead of one attribute per artifact.
func (Kind) StageInputs() []engine.StageInput {
	return []engine.StageInput{
		{Attr: "cost", Kind: "cost", Doc: "A whole cost stage: its cells, cell_tiers, summary, winners, requests, tco, savings and json.",
			Fills: map[string]string{"cells": "cells", "cell_tiers": "cell_tiers", "summary": "summary", "winners": "winners",
				"requests": "requests", "tco": "tco", "savings": "savings", "json": "cost_json"}},
		{Attr: "stats", Kind: "stats", Doc: "A whole stats stage: its cells, groups, tests, pairwise and per-cell pairwise tables.",
			Fills: map[string]string{"cells": "stats_cells", "groups": "stats_groups", "tests": "stats_tests",
				"pairwise": "stats_pairwise", "cell_pairwise": "stats_cell_pairwise"}},
		{Attr: "validate", Kind: "validate", Many: true, Doc: "Validate stages (one, a list, or one with for_each): their tables and json.",
			Fills: map[string]string{"table": "validation", "json": "validation_json"}},
		{Attr: "plot", Kind: "plot", Doc: "A whole plot stage: its figures.", Fills: map[string]string{"figures": "figures"}},
		{Attr: "benchmarks", Kind: "benchmark", Many: true, Doc: "Benchmark stages (a list, or one with for_each): their runs, environment and cells tables.",
			Fills: map[string]string{"runs": "runs", "environment": "environments", "cells": "benchmark_cells"}},
	}
}
