package stats

import (
	"context"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"

	"github.com/tr119/tr119/analysis/runs"
	"github.com/tr119/tr119/artifacts"
	"github.com/tr119/tr119/bench/synthruns"
	"github.com/tr119/tr119/engine"
	"github.com/tr119/tr119/internal/golden"
	aio "github.com/tr119/tr119/stages/internal/analysisio"
	"github.com/tr119/tr119/stages/internal/analysistest"
)

// reportCosts writes a cost_cell_tiers table holding the report's
// per-scenario on-demand prefill costs of two backends: onnxruntime-gpu
// from 5.2 and 8.1; transformers-gpu from 8.1, 5.2, 8.3's max and the
// fifth from 5.1's mean (see analysis/stats tests).
func reportCosts(t *testing.T, dir string) engine.Artifact {
	t.Helper()
	scen := []string{"batch_medium", "batch_short", "single_long", "single_medium", "single_short"}
	costs := map[string][]float64{
		"onnxruntime-gpu":  {0.09832, 0.1445, 0.1223, 0.1212, 0.1529},
		"transformers-gpu": {0.09046, 0.05846, 0.2437, 0.34588, 0.5642},
	}
	tbl := &aio.Table{Schema: artifacts.CostTiersSchema()}
	for _, b := range []string{"onnxruntime-gpu", "transformers-gpu"} {
		for i, s := range scen {
			tbl.Add(b, s, "prefill", "gpu", "on_demand", 1.006, costs[b][i], 0.0, costs[b][i], nil, nil, 0.0)
			tbl.Add(b, s, "prefill", "gpu", "spot", 0.302, costs[b][i]*0.3, nil, nil, nil, nil, nil)
		}
	}
	if err := tbl.WriteParquet(dir, "tiers.parquet"); err != nil {
		t.Fatal(err)
	}
	return analysistest.FileArtifact(t, filepath.Join(dir, "tiers.parquet"), "stage.cost.t")
}

// repsArtifact writes the Small matrix's repetitions as cost_reps/v1.
func repsArtifact(t *testing.T, dir string) engine.Artifact {
	t.Helper()
	cells, err := runs.Cells(synthruns.Rows(analysistest.Small()), runs.Options{})
	if err != nil {
		t.Fatal(err)
	}
	tbl := &aio.Table{Schema: artifacts.CostRepsSchema()}
	for _, c := range cells {
		for _, r := range c.Reps {
			tbl.Add(c.Backend, c.Scenario, c.Mode, c.DeviceClass, r.Repetition, r.Prompts, r.Tokens, r.Seconds, r.EnergyJ)
		}
	}
	if err := tbl.WriteParquet(dir, "reps.parquet"); err != nil {
		t.Fatal(err)
	}
	return analysistest.FileArtifact(t, filepath.Join(dir, "reps.parquet"), "stage.cost.t")
}

func testConfig(reps, costs cty.Value) cty.Value {
	return cty.ObjectVal(map[string]cty.Value{"reps": reps, "costs": costs})
}

func TestRunReportPairwise(t *testing.T) {
	dir := t.TempDir()
	reps := repsArtifact(t, dir).Value()
	r := analysistest.Run(t, testConfig(reps, reportCosts(t, dir).Value()))
	res, err := New().Run(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	tbl, err := artifacts.ReadParquet(filepath.Join(r.OutDir, res.Outputs["pairwise"]))
	if err != nil {
		t.Fatal(err)
	}
	defer tbl.Release()
	p, _, _ := artifacts.Float64Col(tbl, artifacts.ASStudentP)
	d, _, _ := artifacts.Float64Col(tbl, artifacts.ASCohensD)
	// Report 10.2: onnxruntime-gpu vs transformers-gpu prefill, p = 0.190,
	// d = 0.906.
	if len(p) != 1 || math.Abs(p[0]-0.190) > 0.002 || math.Abs(d[0]-0.906) > 0.002 {
		t.Errorf("p %v d %v, want 0.190 and 0.906", p, d)
	}
	out := analysistest.Outputs(t, r, res)
	golden.Check(t, filepath.Join("testdata", "statistical_analysis.golden.json"), out["json"])
	cells, err := artifacts.ReadParquet(filepath.Join(r.OutDir, res.Outputs["cells"]))
	if err != nil {
		t.Fatal(err)
	}
	defer cells.Release()
	// Small: 8 cells x 5 metrics, all with energy.
	if cells.NumRows() != 40 {
		t.Errorf("%d cell statistics, want 40", cells.NumRows())
	}
}

func TestRunErrors(t *testing.T) {
	dir := t.TempDir()
	reps := repsArtifact(t, dir).Value()
	costs := reportCosts(t, dir).Value()
	notTiers := reps
	withTier := func(tier string) cty.Value {
		m := testConfig(reps, costs).AsValueMap()
		m["tier"] = cty.StringVal(tier)
		return cty.ObjectVal(m)
	}
	tests := []struct {
		name   string
		config cty.Value
		want   string
	}{
		{"unknown tier", withTier("reserved_9y"), `no tier "reserved_9y"`},
		{"wrong table", testConfig(reps, notTiers), `want cost_cell_tiers/v1`},
		{"not reps", testConfig(costs, costs), `want cost_reps/v1`},
		{"confidence", cty.ObjectVal(map[string]cty.Value{"reps": reps, "confidence": cty.NumberIntVal(95)}), "confidence: 95"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New().Run(context.Background(), analysistest.Run(t, tt.config))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want %q", err, tt.want)
			}
		})
	}
	// Unavailable costs: the cell statistics are still written.
	un := engine.Artifact{Stage: "stage.cost.x", Reason: "upstream unavailable"}
	if _, err := New().Run(context.Background(), analysistest.Run(t, testConfig(reps, un.Value()))); err != nil {
		t.Errorf("unavailable costs: %v", err)
	}
	if _, err := New().Run(context.Background(), analysistest.Run(t, testConfig(un.Value(), costs))); err != nil {
		t.Errorf("unavailable reps: %v", err)
	}
}
