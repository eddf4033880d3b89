package plot

import (
	"context"
	"testing"

	"github.com/zclconf/go-cty/cty"

	"github.com/tr119/tr119/engine"
	"github.com/tr119/tr119/stages/internal/analysistest"
	"github.com/tr119/tr119/stages/internal/reporttest"
)

// BenchmarkFigures draws the fixture's 14 figures, PNG and SVG.
func BenchmarkFigures(b *testing.B) {
	fx := reporttest.Fixture(b, 1.006)
	cfg := cty.ObjectVal(map[string]cty.Value{
		"cells": fx["cost.cells"].Value(), "cell_tiers": fx["cost.cell_tiers"].Value(),
		"summary": fx["cost.summary"].Value(), "stats_cells": fx["stats.cells"].Value(),
	})
	b.ResetTimer()
	for range b.N {
		r := analysistest.Run(b, cfg)
		if _, err := New().Run(context.Background(), r); err != nil {
			b.Fatal(err)
		}
	}
}

var _ engine.Kind = Kind{}
