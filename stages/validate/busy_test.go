package validate_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"

	"github.com/tr119/tr119/engine"
	"github.com/tr119/tr119/stages/internal/analysistest"
	rt "github.com/tr119/tr119/stages/internal/reporttest"
	"github.com/tr119/tr119/stages/validate"
)

// TestBusyMachine: with the machine 98% busy while backend a used one core
// of 16, validate warns busy_machine for a's cells and not for b's (20%
// busy); without an environment table it says the check was skipped.
func TestBusyMachine(t *testing.T) {
	fx, err := rt.Pipeline(t, rt.Build(t, rt.Spec{Scenarios: []string{"chat", "summarise"}, Backends: []rt.Backend{
		{Name: "a-cpu", Class: "cpu", TokPerS: rt.Steady(1000), Watts: 50, Noise: 0.01, SystemUtil: 0.98, ProcessCores: 1},
		{Name: "b-cpu", Class: "cpu", TokPerS: rt.Steady(1500), Watts: 50, Noise: 0.01, SystemUtil: 0.2, ProcessCores: 1},
	}}), rt.Pricing(1, 0.2), "")
	if err != nil {
		t.Fatal(err)
	}
	runsList := analysistest.List(fx["import.table"])
	for _, tc := range []struct {
		name     string
		envs     cty.Value
		wantBusy []string
		wantNote string
	}{
		{"with cpu_cores", analysistest.List(analysistest.CPUCores(t, "16")), []string{"a-cpu"}, ""},
		{"without environments", cty.NullVal(cty.List(engine.ArtifactType)), nil, "busy-machine check skipped: no environment table gives cpu_cores"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := analysistest.Run(t, cty.ObjectVal(map[string]cty.Value{"runs": runsList, "environments": tc.envs}))
			res, err := validate.New().Run(context.Background(), r)
			if err != nil {
				t.Fatal(err)
			}
			var doc struct {
				Findings []map[string]any `json:"findings"`
				Notes    []string         `json:"notes"`
			}
			if err := json.Unmarshal(analysistest.Outputs(t, r, res)["json"], &doc); err != nil {
				t.Fatal(err)
			}
			busy := map[string]bool{}
			for _, f := range doc.Findings {
				if f["check"] == "busy_machine" {
					busy[f["backend"].(string)] = true
					if f["severity"] != "warn" || !strings.Contains(f["message"].(string), "98% busy on average while the backend used 6% of it") {
						t.Errorf("finding %v", f)
					}
				}
			}
			if len(busy) != len(tc.wantBusy) || (len(tc.wantBusy) > 0 && !busy[tc.wantBusy[0]]) {
				t.Errorf("busy_machine for %v, want %v", busy, tc.wantBusy)
			}
			if tc.wantNote != "" && !strings.Contains(strings.Join(doc.Notes, "\n"), tc.wantNote) {
				t.Errorf("notes %q lack %q", doc.Notes, tc.wantNote)
			}
		})
	}
}
