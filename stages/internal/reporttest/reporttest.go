package reporttest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"

	"github.com/tr119/tr119/engine"
	"github.com/tr119/tr119/stages/cost"
	"github.com/tr119/tr119/stages/importstage"
	"github.com/tr119/tr119/stages/internal/analysistest"
	"github.com/tr119/tr119/stages/stats"
)

func num(v float64) cty.Value { return cty.NumberFloatVal(v) }

// CSV is the fixture's runs table path.
func CSV() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "testdata", "runs.csv")
}

// CostConfig is the fixture's cost body for runs: report pricing with a
// CPU on-demand price, given on_demand rate for GPUs.
func CostConfig(runs cty.Value, onDemandGPU float64) cty.Value {
	return cty.ObjectVal(map[string]cty.Value{
		"runs": runs,
		"pricing": cty.ObjectVal(map[string]cty.Value{
			"on_demand":   cty.ObjectVal(map[string]cty.Value{"gpu": num(onDemandGPU), "cpu": num(0.17)}),
			"spot":        num(0.302),
			"reserved_1y": num(0.704),
			"reserved_3y": num(0.503),
		}),
		"energy":  cty.ObjectVal(map[string]cty.Value{"usd_per_kwh": num(0.20), "carbon_g_per_kwh": num(500)}),
		"request": cty.ObjectVal(map[string]cty.Value{"prompt_tokens": num(256), "generate_tokens": num(128)}),
	})
}

// Fixture runs import, cost and stats on the fixture and returns every
// output by "kind.output" (e.g. "cost.cells", "stats.tests", "import.table").
func Fixture(t testing.TB, onDemandGPU float64) map[string]engine.Artifact {
	t.Helper()
	return FixtureOf(t, CSV(), onDemandGPU)
}

// Subset writes the fixture's rows whose backend and scenario keep accepts
// to a CSV under t's temp dir and returns its path.
func Subset(t testing.TB, keep func(backend, scenario string) bool) string {
	t.Helper()
	b, err := os.ReadFile(CSV())
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	out := []string{lines[0]}
	for _, l := range lines[1:] {
		// run_id, backend, ..., scenario is the 8th column.
		f := strings.SplitN(l, ",", 9)
		if len(f) == 9 && keep(f[1], f[7]) {
			out = append(out, l)
		}
	}
	p := filepath.Join(t.TempDir(), "runs.csv")
	if err := os.WriteFile(p, []byte(strings.Join(out, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// FixtureOf is Fixture on another runs CSV.
func FixtureOf(t testing.TB, csv string, onDemandGPU float64) map[string]engine.Artifact {
	t.Helper()
	out := map[string]engine.Artifact{}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(runKind(t, out, "fixture", "import", importstage.New(), importRuns(csv, "runs/v1")))
	must(runKind(t, out, "fixture", "cost", cost.New(), CostConfig(analysistest.List(out["import.table"]), onDemandGPU)))
	must(runKind(t, out, "fixture", "stats", stats.New(), statsConfig(out)))
	return out
}

// runKind runs kind k on cfg as stage.KIND.NAME and adds its outputs to
// out by "kind.output".
func runKind(t testing.TB, out map[string]engine.Artifact, name, kind string, k engine.Kind, cfg cty.Value) error {
	t.Helper()
	r := analysistest.Run(t, cfg)
	r.Addr = "stage." + kind + "." + name
	res, err := k.Run(context.Background(), r)
	if err != nil {
		return fmt.Errorf("%s: %w", kind, err)
	}
	for o, rel := range res.Outputs {
		out[kind+"."+o] = analysistest.FileArtifact(t, filepath.Join(r.OutDir, rel), r.Addr)
	}
	return nil
}

// importRuns is an import body reading a runs CSV under the contract given.
func importRuns(csv, contract string) cty.Value {
	return cty.ObjectVal(map[string]cty.Value{
		"path": cty.StringVal(csv), "schema": cty.StringVal(contract),
		"format": cty.NullVal(cty.String), "extra_columns": cty.NullVal(cty.String),
		"allow_non_finite": cty.NullVal(cty.Bool),
	})
}

// statsConfig is the stats body over the cost outputs in out.
func statsConfig(out map[string]engine.Artifact) cty.Value {
	return cty.ObjectVal(map[string]cty.Value{"reps": out["cost.reps"].Value(), "costs": out["cost.cell_tiers"].Value()})
}
