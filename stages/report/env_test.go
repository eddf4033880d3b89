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

// envTable writes an environment/v1 table of key/value pairs.
func envTable(t *testing.T, stage string, kv ...string) engine.Artifact {
	t.Helper()
	var rows [][]string
	for i := 0; i+1 < len(kv); i += 2 {
		rows = append(rows, []string{"env", kv[i], kv[i+1]})
	}
	return analysistest.StringTable(t, stage, "environment/v1", []string{artifacts.ColEnvironmentID, "key", "value"}, rows...)
}

// TestEnvironmentsMerged: two benchmarks' environments become one table of
// what they share (memory in GiB) and one of what differs, one column per
// benchmark, instead of two near-identical tables.
func TestEnvironmentsMerged(t *testing.T) {
	fx := reporttest.Fixture(t, 1.006)
	a := envTable(t, `stage.benchmark.onnxruntime["cpu"]`, "cpu_cores", "2", "memory_bytes", "8589934592", "onnxruntime.graph_optimization", "all")
	b := envTable(t, `stage.benchmark.onnxruntime["cpu-fused"]`, "cpu_cores", "2", "memory_bytes", "8589934592", "onnxruntime.graph_optimization", "extended")
	md, _ := render(t, cty.ObjectVal(map[string]cty.Value{"cells": fx["cost.cells"].Value(),
		"cell_tiers": fx["cost.cell_tiers"].Value(), "summary": fx["cost.summary"].Value(),
		"environments": analysistest.List(a, b)}))
	s := string(md)
	for _, want := range []string{"2 environments (one per benchmark stage)", "| memory_bytes | 8 GiB (8,589,934,592 bytes) |",
		"| Key | stage.benchmark.onnxruntime[\"cpu\"] | stage.benchmark.onnxruntime[\"cpu-fused\"] |",
		"| onnxruntime.graph_optimization | all | extended |"} {
		if !strings.Contains(s, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if strings.Count(s, "| cpu_cores |") != 1 {
		t.Error("a shared value is repeated")
	}
}
