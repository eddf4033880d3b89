package report

import (
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"

	"github.com/tr119/tr119/artifacts"
	"github.com/tr119/tr119/engine"
	"github.com/tr119/tr119/stages/internal/analysistest"
	"github.com/tr119/tr119/stages/internal/reporttest"
)

// benchCellsTable writes a cells/v1 table with the columns the report
// reads; rows are backend, scenario, mode, status, reason.
func benchCellsTable(t *testing.T, stage string, rows ...[]string) engine.Artifact {
	t.Helper()
	return analysistest.StringTable(t, stage, "cells/v1", []string{artifacts.ColBackend, artifacts.ColScenario, artifacts.ColMode, "status", "status_reason"}, rows...)
}

// TestNotApplicableCells: a backend that cannot run a mode is named in the
// limitations with its reason, once per backend and reason, and measured
// cells say nothing.
func TestNotApplicableCells(t *testing.T) {
	fx := reporttest.Fixture(t, 1.006)
	why := "mode not supported by this backend: no uncached loop"
	a := benchCellsTable(t, `stage.benchmark.server["a"]`,
		[]string{"server-a", "single_short", "prefill", "measured", ""},
		[]string{"server-a", "single_short", "generate", "not_applicable", why},
		[]string{"server-a", "batch_short", "generate", "not_applicable", why})
	b := benchCellsTable(t, `stage.benchmark.onnxruntime["cpu"]`,
		[]string{"onnxruntime-cpu", "single_short", "decode", "measured", ""})
	md, _ := render(t, cty.ObjectVal(map[string]cty.Value{"cells": fx["cost.cells"].Value(),
		"cell_tiers": fx["cost.cell_tiers"].Value(), "summary": fx["cost.summary"].Value(),
		"benchmark_cells": analysistest.List(a, b)}))
	s := string(md)
	want := "Not applicable: `server-a` cannot run `generate` (" + why + "). It has no rows there, so it is absent from that mode's ranking, not ranked last."
	if strings.Count(s, want) != 1 {
		t.Errorf("report does not name the not-applicable mode once:\n%s", s)
	}
	if strings.Contains(s, "onnxruntime-cpu` cannot run") {
		t.Error("a measured cell is called not applicable")
	}
}
