package compare

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"

	"github.com/tr119/tr119/artifacts"
	"github.com/tr119/tr119/bench/synthruns"
	"github.com/tr119/tr119/engine"
	"github.com/tr119/tr119/internal/frame"
	"github.com/tr119/tr119/internal/golden"
	"github.com/tr119/tr119/manifest"
	"github.com/tr119/tr119/stages/cost"
)

// resultsDir writes a results folder holding a synthetic runs table (2
// backends x 2 scenarios x 2 modes x 5 reps) scaled by speed for the
// first backend, and a manifest naming it, with env as the benchmark's
// recorded environment.
func resultsDir(t *testing.T, speed float64, env map[string]string) string {
	t.Helper()
	return resultsDirCost(t, speed, env, 0, "")
}

// resultsDirCost is resultsDir with a cost stage priced at rate $/h (0:
// none) and its energy policy, its tables in the manifest.
func resultsDirCost(t *testing.T, speed float64, env map[string]string, rate float64, policy string) string {
	t.Helper()
	dir := t.TempDir()
	cfg := synthruns.Default()
	cfg.Backends = []synthruns.Backend{cfg.Backends[0], cfg.Backends[3]}
	cfg.Backends[0].PrefillTokS *= speed
	cfg.Backends[0].GenerateTokS *= speed
	cfg.Scenarios = cfg.Scenarios[:2]
	cfg.Reps = 5
	rel := "benchmark/b/runs.parquet"
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := synthruns.WriteParquet(p, cfg); err != nil {
		t.Fatal(err)
	}
	m := manifest.New()
	m.Subject = []manifest.Subject{{Name: rel, Digest: manifest.DigestSet{"sha256": strings.Repeat("0", 64)},
		MediaType: artifacts.ParquetMediaType, Annotations: manifest.SubjectAnnotations{Stage: "stage.benchmark.b", Output: "runs"}}}
	if rate > 0 {
		m.Subject = append(m.Subject, costStage(t, dir, p, rate, policy)...)
	}
	m.Predicate.RunDetails.Byproducts = []manifest.StageRecord{{Name: "stage.benchmark.b",
		Annotations: manifest.StageFacts{Kind: "benchmark", KindVersion: "1", ActionKey: strings.Repeat("a", 64), KeyLinesSHA256: strings.Repeat("b", 64), Status: manifest.StageExecuted, Environment: env}}}
	if rate > 0 {
		m.Predicate.RunDetails.Byproducts = append(m.Predicate.RunDetails.Byproducts, manifest.StageRecord{Name: "stage.cost.c",
			Annotations: manifest.StageFacts{Kind: "cost", KindVersion: "3", ActionKey: strings.Repeat("c", 64), KeyLinesSHA256: strings.Repeat("d", 64),
				Status: manifest.StageExecuted}})
	}
	if err := m.Write(filepath.Join(dir, "manifest.json")); err != nil {
		t.Fatal(err)
	}
	return dir
}

var env1 = map[string]string{"onnxruntime": "1.29.0", "cpu": "test cpu"}

func diff(t *testing.T, a, b string) *Result {
	t.Helper()
	sa, err := Load(a, "")
	if err != nil {
		t.Fatal(err)
	}
	sb, err := Load(b, "")
	if err != nil {
		t.Fatal(err)
	}
	return Diff(sa, sb, Options{Threshold: 0.10, Alpha: 0.05})
}

func TestIdenticalIsNoChange(t *testing.T) {
	a := resultsDir(t, 1, env1)
	for _, b := range []string{a, filepath.Join(a, "manifest.json"), resultsDir(t, 1, env1)} {
		r := diff(t, a, b)
		if r.Changed || r.Regressions != 0 || len(r.Cells) != 8 {
			t.Errorf("%s: changed=%v regressions=%d cells=%d, want no change over 8 cells", b, r.Changed, r.Regressions, len(r.Cells))
		}
		var out bytes.Buffer
		if err := WriteText(&out, r); err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(out.String(), "\nno change\n") {
			t.Errorf("text output does not end in 'no change':\n%s", out.String())
		}
	}
}

func TestSlowedBackendIsFlagged(t *testing.T) {
	env2 := map[string]string{"onnxruntime": "1.30.0", "cpu": "test cpu"}
	r := diff(t, resultsDirCost(t, 1, env1, 1.0, ""), resultsDirCost(t, 0.7, env2, 1.0, ""))
	if r.Regressions != 4 {
		t.Errorf("regressions = %d, want the 4 cells of the slowed backend", r.Regressions)
	}
	for _, c := range r.Cells {
		slowed := c.Backend == "onnxruntime-gpu"
		if c.Regression != slowed {
			t.Errorf("%s: regression = %v, want %v", c.name(), c.Regression, slowed)
		}
		if slowed && !c.Throughput.Significant {
			t.Errorf("%s: a 30%% drop over 5 reps is not significant (p = %v)", c.name(), c.Throughput.P)
		}
	}
	if len(r.Env) != 1 || r.Env[0].Key != "stage.benchmark.b: onnxruntime" {
		t.Errorf("environment differences = %+v, want the onnxruntime version", r.Env)
	}
	for _, f := range []struct {
		name  string
		write func(*bytes.Buffer, *Result) error
	}{
		{"diff.txt", func(b *bytes.Buffer, r *Result) error { return WriteText(b, r) }},
		{"diff.md", func(b *bytes.Buffer, r *Result) error { return WriteMarkdown(b, r) }},
		{"diff.json", func(b *bytes.Buffer, r *Result) error { return WriteJSON(b, r) }},
	} {
		var b bytes.Buffer
		r.A, r.B = "A", "B" // temp dirs differ per run
		if err := f.write(&b, r); err != nil {
			t.Fatal(err)
		}
		checkGolden(t, f.name, b.Bytes())
	}
}

func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	p := filepath.Join("testdata", name+".golden")
	golden.Check(t, p, got)
}

// costStage runs the cost stage on the runs at p and returns its tables
// as manifest subjects under dir/cost/c.
func costStage(t *testing.T, dir, p string, rate float64, policy string) []manifest.Subject {
	t.Helper()
	runs := engine.Artifact{Path: p, SHA256: strings.Repeat("0", 64), MediaType: artifacts.ParquetMediaType,
		Stage: "stage.benchmark.b", Available: true}
	pol := cty.NullVal(cty.String)
	if policy != "" {
		pol = cty.StringVal(policy)
	}
	r := &engine.Run{Addr: "stage.cost.c", Label: "c", Workspace: t.TempDir(), OutDir: t.TempDir(), Progress: nopProgress{},
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	r.Config = cty.ObjectVal(map[string]cty.Value{
		"runs": cty.ListVal([]cty.Value{runs.Value()}), "energy_policy": pol,
		"pricing": cty.ObjectVal(map[string]cty.Value{"on_demand": cty.NumberFloatVal(rate)}),
		"energy":  cty.ObjectVal(map[string]cty.Value{"usd_per_kwh": cty.NumberFloatVal(0.2), "carbon_g_per_kwh": cty.NumberFloatVal(500)}),
	})
	res, err := cost.New().Run(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	var out []manifest.Subject
	for _, name := range []string{"cells", "cell_tiers", "reps"} {
		rel := "cost/c/" + name + ".parquet"
		b, err := os.ReadFile(filepath.Join(r.OutDir, res.Outputs[name]))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(dir, "cost", "c"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(rel)), b, 0o644); err != nil {
			t.Fatal(err)
		}
		out = append(out, manifest.Subject{Name: rel, Digest: manifest.DigestSet{"sha256": strings.Repeat("0", 64)},
			MediaType: artifacts.ParquetMediaType, Annotations: manifest.SubjectAnnotations{Stage: "stage.cost.c", Output: name}})
	}
	return out
}

// TestCostFromTheCostStage: energy and cost come from the cost stage's
// tables. With energy_policy "sum" the cost stage counts every domain, so
// the diff's energy is the cost stage's (not a re-attribution of its
// own), and re-pricing B's on-demand rate by +30% is a cost regression,
// tested over the repetitions, although no throughput moved.
func TestCostFromTheCostStage(t *testing.T) {
	a := resultsDirCost(t, 1, env1, 1.0, "sum")
	b := resultsDirCost(t, 1, env1, 1.3, "sum")
	sa, err := Load(a, "")
	if err != nil {
		t.Fatal(err)
	}
	if sa.Tier != "on_demand" {
		t.Errorf("tier %q, want the cost stage's headline tier", sa.Tier)
	}
	cells, err := frame.Read(filepath.Join(a, "cost", "c", "cells.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < cells.Len; i++ {
		c := sa.Cells[cellKey(cells.Str(artifacts.ACBackend, i), cells.Str(artifacts.ACScenario, i), cells.Str(artifacts.ACMode, i))]
		want := cells.Num(artifacts.ACEnergy, i)
		if got := mean(c.KWh); math.Abs(got-want) > 1e-12*want {
			t.Errorf("%s/%s: diff energy %v, cost stage %v", c.Backend, c.Mode, got, want)
		}
	}
	r := diff(t, a, b)
	if r.Regressions != len(r.Cells) || len(r.Cells) != 8 {
		t.Fatalf("regressions %d of %d cells: want every cell's cost rise flagged", r.Regressions, len(r.Cells))
	}
	for _, c := range r.Cells {
		if c.CostBasis != "total" || c.Cost.Change < 0.2 || !c.Cost.Significant || c.Throughput.Change != 0 {
			t.Errorf("%s: cost %+v (%s), throughput change %v", c.name(), c.Cost, c.CostBasis, c.Throughput.Change)
		}
	}
}

type nopProgress struct{}

func (nopProgress) Report(int64, int64, string) {}

func TestLoadErrors(t *testing.T) {
	empty := t.TempDir()
	noRuns := t.TempDir()
	m := manifest.New()
	if err := m.Write(filepath.Join(noRuns, "manifest.json")); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, path, want string }{
		{"no manifest", empty, "manifest.json"},
		{"no runs table", noRuns, "no runs table"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(tc.path, "on_demand")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}
