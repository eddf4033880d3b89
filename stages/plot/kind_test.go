package plot

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"

	"github.com/tr119/tr119/internal/golden"
	"github.com/tr119/tr119/stages/internal/analysistest"
	"github.com/tr119/tr119/stages/internal/reporttest"
)

func runPlot(t *testing.T) (dir string) {
	t.Helper()
	return runPlotOf(t, reporttest.CSV())
}

// runPlotOf draws the figures of a runs CSV priced like the fixture.
func runPlotOf(t *testing.T, csv string) (dir string) {
	t.Helper()
	fx := reporttest.FixtureOf(t, csv, 1.006)
	cfg := cty.ObjectVal(map[string]cty.Value{
		"cells": fx["cost.cells"].Value(), "cell_tiers": fx["cost.cell_tiers"].Value(),
		"summary": fx["cost.summary"].Value(), "stats_cells": fx["stats.cells"].Value(),
		"tier": cty.StringVal("on_demand"),
	})
	r := analysistest.Run(t, cfg)
	res, err := New().Run(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Join(r.OutDir, res.Outputs["figures"])
}

func readIndex(t *testing.T, dir string) Index {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, IndexFile))
	if err != nil {
		t.Fatal(err)
	}
	var idx Index
	if err := json.Unmarshal(b, &idx); err != nil {
		t.Fatal(err)
	}
	return idx
}

// TestFiguresDeterministicAndGolden renders the fixture twice: every file
// must be byte-identical, and one SVG per figure kind matches its golden.
func TestFiguresDeterministicAndGolden(t *testing.T) {
	a, b := runPlot(t), runPlot(t)
	idx := readIndex(t, a)
	// 2 modes x 7 figures.
	if len(idx.Figures) != 14 {
		t.Fatalf("%d figures, want 14", len(idx.Figures))
	}
	for _, f := range idx.Figures {
		for _, name := range []string{f.PNG, f.SVG} {
			x, err := os.ReadFile(filepath.Join(a, name))
			if err != nil {
				t.Fatal(err)
			}
			y, err := os.ReadFile(filepath.Join(b, name))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(x, y) {
				t.Errorf("%s differs between two renders", name)
			}
			if len(x) < 1000 {
				t.Errorf("%s is only %d bytes", name, len(x))
			}
		}
		if f.Mode != "prefill" {
			continue
		}
		got, _ := os.ReadFile(filepath.Join(a, f.SVG))
		golden.Check(t, filepath.Join("testdata", f.SVG+".golden"), got)
	}
}

// TestMissingEnergyIsNA checks that transformers-cpu, which has no energy,
// is drawn as n/a in the energy figures and counted as missing.
func TestMissingEnergyIsNA(t *testing.T) {
	dir := runPlot(t)
	idx := readIndex(t, dir)
	seen := 0
	for _, f := range idx.Figures {
		if !strings.HasSuffix(f.ID, "_energy_per_1m") && !strings.HasSuffix(f.ID, "_carbon_per_1m") {
			continue
		}
		seen++
		if f.Missing != 2 { // two scenarios of one backend
			t.Errorf("%s: missing = %d, want 2", f.ID, f.Missing)
		}
		svg, _ := os.ReadFile(filepath.Join(dir, f.SVG))
		if !bytes.Contains(svg, []byte("n/a")) {
			t.Errorf("%s: no n/a mark", f.SVG)
		}
	}
	if seen != 4 {
		t.Errorf("saw %d energy/carbon figures, want 4", seen)
	}
}

func TestBadInput(t *testing.T) {
	fx := reporttest.Fixture(t, 1.006)
	tests := []struct {
		name string
		cfg  map[string]cty.Value
		want string
	}{
		{"cells is not cost_cells", map[string]cty.Value{"cells": fx["cost.summary"].Value(), "cell_tiers": fx["cost.cell_tiers"].Value()}, "cost_cells/"},
		{"tier other than the headline", map[string]cty.Value{"cells": fx["cost.cells"].Value(), "cell_tiers": fx["cost.cell_tiers"].Value(), "tier": cty.StringVal("gold")}, `tier = "gold", but the cost stage's headline_tier is "on_demand"`},
		{"no cells", map[string]cty.Value{"cell_tiers": fx["cost.cell_tiers"].Value()}, "cells: cells is required"},
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
