package compare

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tr119/tr119/artifacts"
	"github.com/tr119/tr119/bench/synthruns"
)

var update = flag.Bool("update", false, "rewrite golden files")

// resultsDir writes a results folder holding a synthetic runs table (2
// backends x 2 scenarios x 2 modes x 5 reps) scaled by speed for the
// first backend, and a manifest naming it, with env as the benchmark's
// recorded environment.
func resultsDir(t *testing.T, speed float64, env map[string]string) string {
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
	m := artifacts.NewManifest()
	m.Subject = []artifacts.Subject{{Name: rel, Digest: artifacts.DigestSet{"sha256": strings.Repeat("0", 64)},
		MediaType: artifacts.ParquetMediaType, Annotations: artifacts.SubjectAnnotations{Stage: "stage.benchmark.b", Output: "runs"}}}
	m.Predicate.RunDetails.Byproducts = []artifacts.StageRecord{{Name: "stage.benchmark.b",
		Annotations: artifacts.StageFacts{Kind: "benchmark", KindVersion: "1", ActionKey: strings.Repeat("a", 64), KeyLinesSHA256: strings.Repeat("b", 64), Status: artifacts.StageExecuted, Environment: env}}}
	if err := m.Write(filepath.Join(dir, "manifest.json")); err != nil {
		t.Fatal(err)
	}
	return dir
}

var env1 = map[string]string{"onnxruntime": "1.29.0", "cpu": "test cpu"}

func diff(t *testing.T, a, b string) *Result {
	t.Helper()
	sa, err := Load(a, "on_demand")
	if err != nil {
		t.Fatal(err)
	}
	sb, err := Load(b, "on_demand")
	if err != nil {
		t.Fatal(err)
	}
	return Diff(sa, sb, Options{Threshold: 0.10, Alpha: 0.05, Tier: "on_demand"})
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
	r := diff(t, resultsDir(t, 1, env1), resultsDir(t, 0.7, env2))
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
		golden(t, f.name, b.Bytes())
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	p := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(p, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from %s (run with -update to accept)", name, p)
	}
}

func TestLoadErrors(t *testing.T) {
	empty := t.TempDir()
	noRuns := t.TempDir()
	m := artifacts.NewManifest()
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
