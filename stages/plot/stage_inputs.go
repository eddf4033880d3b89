package plot

import "github.com/tr119/tr119/engine"

// StageInputs lets a pipeline pass whole stages: cost = stage.cost.NAME
// and stats = stage.stats.NAME instead of one attribute per artifact.
func (Kind) StageInputs() []engine.StageInput {
	return []engine.StageInput{
		{Attr: "cost", Kind: "cost", Doc: "A whole cost stage: its cells, cell_tiers and summary.",
			Fills: map[string]string{"cells": "cells", "cell_tiers": "cell_tiers", "summary": "summary"}},
		{Attr: "stats", Kind: "stats", Doc: "A whole stats stage: its cells, for error bars.",
			Fills: map[string]string{"cells": "stats_cells"}},
	}
}
