package cost

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"

	"github.com/tr119/tr119/engine"
	"github.com/tr119/tr119/internal/golden"
	"github.com/tr119/tr119/stages/internal/analysistest"
)

func num(v float64) cty.Value { return cty.NumberFloatVal(v) }

// testConfig is the report's pricing (4.3) with a CPU price for on_demand, a
// user tier and a local tier.
func testConfig(runs cty.Value) cty.Value {
	return cty.ObjectVal(map[string]cty.Value{
		"runs": runs,
		"pricing": cty.ObjectVal(map[string]cty.Value{
			"on_demand":   cty.ObjectVal(map[string]cty.Value{"gpu": num(1.006), "cpu": num(0.17)}),
			"spot":        num(0.302),
			"reserved_1y": num(0.704),
			"reserved_3y": num(0.503),
			"tier": cty.ObjectVal(map[string]cty.Value{
				"my_cloud": cty.ObjectVal(map[string]cty.Value{"usd_per_hour": num(0.9)}),
			}),
		}),
		"local": cty.ObjectVal(map[string]cty.Value{
			"hardware_usd":   cty.ObjectVal(map[string]cty.Value{"gpu": num(2500), "cpu": num(1200)}),
			"lifetime_years": num(3), "utilisation": num(0.5),
		}),
		"energy": cty.ObjectVal(map[string]cty.Value{"usd_per_kwh": num(0.20), "carbon_g_per_kwh": num(500)}),
	})
}

func TestRunGoldenAndDeterministic(t *testing.T) {
	runs := analysistest.RunsArtifact(t, t.TempDir(), analysistest.Small())
	var first map[string][]byte
	for i := range 2 {
		r := analysistest.Run(t, testConfig(analysistest.List(runs)))
		res, err := New().Run(context.Background(), r)
		if err != nil {
			t.Fatal(err)
		}
		got := analysistest.Outputs(t, r, res)
		if len(got) != len(outputs) {
			t.Fatalf("%d outputs, want %d", len(got), len(outputs))
		}
		if i == 0 {
			first = got
			continue
		}
		for name, b := range got {
			if !bytes.Equal(b, first[name]) {
				t.Errorf("output %s differs between two runs", name)
			}
		}
	}
	golden.Check(t, filepath.Join("testdata", "cost_analysis.golden.json"), first["json"])
}

func TestRunErrors(t *testing.T) {
	dir := t.TempDir()
	runs := analysistest.RunsArtifact(t, dir, analysistest.Small())
	unavailable := engine.Artifact{Stage: "stage.benchmark.gpu", Reason: "no GPU"}
	noCPU := testConfig(analysistest.List(runs))
	m := noCPU.AsValueMap()
	p := m["pricing"].AsValueMap()
	p["on_demand"] = cty.ObjectVal(map[string]cty.Value{"gpu": num(1.006)})
	m["pricing"] = cty.ObjectVal(p)
	noCPU = cty.ObjectVal(m)
	wrong := analysistest.FileArtifact(t, filepath.Join(dir, "runs.parquet"), "x")
	wrong.Path = filepath.Join(dir, "missing.parquet")
	tests := []struct {
		name   string
		config cty.Value
		want   string
	}{
		{"missing class", noCPU, `pricing.on_demand: pricing.on_demand has no "cpu" price, but local.hardware_usd names that class`},
		{"only unavailable", testConfig(analysistest.List(unavailable)), "no runs table is available"},
		{"missing file", testConfig(analysistest.List(wrong)), "missing.parquet"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New().Run(context.Background(), analysistest.Run(t, tt.config))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want %q", err, tt.want)
			}
		})
	}
	// An unavailable artifact beside an available one is skipped.
	if _, err := New().Run(context.Background(), analysistest.Run(t, testConfig(analysistest.List(runs, unavailable)))); err != nil {
		t.Errorf("unavailable beside available: %v", err)
	}
}
