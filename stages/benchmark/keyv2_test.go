package benchmark

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"

	"github.com/tr119/tr119/artifacts"
	"github.com/tr119/tr119/backends"
	"github.com/tr119/tr119/backends/onnxruntime"
	"github.com/tr119/tr119/cache"
	"github.com/tr119/tr119/engine"
	"github.com/tr119/tr119/stages/model"
)

// keyPipeline is a tiny model and a benchmark of its onnx output; %s
// takes extra benchmark attributes.
const keyPipeline = `
scenario "s" {
  prompts    = ["Explain what a KV cache is."]
  batch_size = 1
}

stage "model" "tiny" {
  preset = "tiny"
  seed   = MODELSEED
}

stage "benchmark" "cpu" {
  backend     = "fake"
  model       = stage.model.tiny.onnx
  scenarios   = [scenario.s]
  modes       = ["prefill"]
  repetitions = 1
  warmups     = 0
  EXTRA
}
`

// keyEnv applies pipelines in one workspace with a counting fake backend.
type keyEnv struct {
	t    *testing.T
	dir  string
	f    *fakeBackend
	opts *engine.Options
	seed string // the model stage's seed
}

func newKeyEnv(t *testing.T) *keyEnv {
	dir := t.TempDir()
	c, err := cache.Open(filepath.Join(dir, ".tr119", "cache"), cache.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return &keyEnv{t: t, dir: dir, f: &fakeBackend{}, opts: &engine.Options{
		Store: engine.NewCacheStore(c), State: engine.OpenState(filepath.Join(dir, ".tr119", "state")),
		Parallelism: 1, TempDir: filepath.Join(dir, ".tr119", "tmp"), Settings: map[string]string{}}, seed: "1"}
}

// apply runs the pipeline with extra benchmark attributes and the model
// kind m; it returns the plan and the outcome.
func (e *keyEnv) apply(extra string, m engine.Kind) (*engine.Plan, *engine.Outcome) {
	e.t.Helper()
	src := strings.NewReplacer("EXTRA", extra, "MODELSEED", e.seed).Replace(keyPipeline)
	if err := writeFile(filepath.Join(e.dir, "pipeline.hcl"), src); err != nil {
		e.t.Fatal(err)
	}
	reg := engine.NewRegistry()
	reg.Register(m)
	reg.Register(fakeKind(e.f))
	reg.RegisterBlock(NewScenarioBlock())
	p, diags := engine.Load(e.dir, reg, engine.LoadOptions{})
	if diags.HasErrors() {
		e.t.Fatal(diags)
	}
	plan, err := engine.MakePlan(context.Background(), p, e.opts)
	if err != nil {
		e.t.Fatal(err)
	}
	out, err := engine.Apply(context.Background(), p, plan, e.opts)
	if err != nil {
		e.t.Fatal(err)
	}
	if err := out.Err(); err != nil {
		e.t.Fatal(err)
	}
	return plan, out
}

func (e *keyEnv) bench(out *engine.Outcome) *engine.StageOutcome {
	for _, s := range out.Stages {
		if s.Stage.Addr == "stage.benchmark.cpu" {
			return s
		}
	}
	e.t.Fatal("no benchmark outcome")
	return nil
}

// TestKeyV2 checks key v2's promises with the real model stage: a label
// rename relabels without measuring; a new model format keeps the
// benchmark cached; a changed declared runtime re-measures with a reason;
// writing a default explicitly changes nothing.
func TestKeyV2(t *testing.T) {
	e := newKeyEnv(t)
	_, out := e.apply("", model.New())
	calls := e.f.calls.Load()
	if calls == 0 || e.bench(out).Status != engine.StatusExecuted {
		t.Fatalf("first apply: %d calls, %s", calls, e.bench(out).Status)
	}
	labels := func(out *engine.Outcome) []string {
		tbl, err := artifacts.ReadParquet(e.bench(out).Artifacts["runs"].Path)
		if err != nil {
			t.Fatal(err)
		}
		defer tbl.Release()
		l, _, _ := artifacts.StringCol(tbl, artifacts.ColBackend)
		ids, _, _ := artifacts.StringCol(tbl, artifacts.ColRunID)
		return append(slices.Compact(l), ids[0])
	}
	if got := labels(out); got[0] != "cpu" || !strings.HasPrefix(got[1], "cpu/") {
		t.Errorf("default label: %q, want the stage's name", got)
	}

	t.Run("label rename relabels", func(t *testing.T) {
		plan, out := e.apply(`label = "ORT on the CPU"`, model.New())
		ps := plan.Stage("stage.benchmark.cpu")
		if !slices.ContainsFunc(ps.Reasons, func(r string) bool { return strings.Contains(r, "nothing re-measured") }) {
			t.Errorf("plan reasons %q", ps.Reasons)
		}
		if n := e.f.calls.Load(); n != calls {
			t.Errorf("renaming the label made %d calls", n-calls)
		}
		if got := labels(out); got[0] != "ORT on the CPU" || !strings.HasPrefix(got[1], "ORT on the CPU/s/prefill/") {
			t.Errorf("relabelled runs: %q", got)
		}
		if _, out := e.apply(`label = "cpu"`, model.New()); e.bench(out).Status != engine.StatusCached {
			t.Errorf("back to the default label: %s, want cached", e.bench(out).Status)
		}
	})

	t.Run("explicit default is the same key", func(t *testing.T) {
		_, out := e.apply("fake {\n version = \"1.0\"\n}\nseed = 42", model.New())
		if s := e.bench(out).Status; s != engine.StatusCached {
			t.Errorf("writing the defaults: %s, want cached", s)
		}
	})

	t.Run("new model format keeps benchmarks cached", func(t *testing.T) {
		fs := append(model.DefaultFormats(), model.Format{Name: "weights", Files: []string{"model.safetensors"}})
		_, out := e.apply("", model.NewFormats(fs))
		for _, s := range out.Stages {
			want := engine.StatusCached
			if s.Stage.Addr == "stage.model.tiny" {
				want = engine.StatusExecuted
			}
			if s.Status != want {
				t.Errorf("%s: %s, want %s", s.Stage.Addr, s.Status, want)
			}
		}
		if n := e.f.calls.Load(); n != calls {
			t.Errorf("a new model format re-measured (%d calls)", n-calls)
		}
	})

	t.Run("plan warns when the library found now differs", func(t *testing.T) {
		e.opts.Machine.Runtimes = map[string]string{"fake.library_sha256": "bbbb"}
		defer func() { e.opts.Machine.Runtimes = nil }()
		plan, out := e.apply("", model.New())
		ps := plan.Stage("stage.benchmark.cpu")
		want := `measured with another runtime than found now: fake.library_sha256 "aaaa" -> "bbbb"`
		if ps.Action != engine.ActionCached || !slices.Equal(ps.Warnings, []string{want}) {
			t.Errorf("plan: %s %q", ps.Action, ps.Warnings)
		}
		env := e.bench(out).Environment
		if env["fake.library"] != "/opt/fake.so" || env["location_keys"] != "fake.library" {
			t.Errorf("library location not recorded: %v", env)
		}
		// No runtime on this machine at all: still cached, no warning.
		e.opts.Machine.Runtimes = nil
		plan, _ = e.apply("", model.New())
		if ps := plan.Stage("stage.benchmark.cpu"); ps.Action != engine.ActionCached || len(ps.Warnings) != 0 {
			t.Errorf("no runtime found: %s %q", ps.Action, ps.Warnings)
		}
	})

	t.Run("declared runtime re-measures", func(t *testing.T) {
		plan, _ := e.apply("fake {\n version = \"2.0\"\n}", model.New())
		ps := plan.Stage("stage.benchmark.cpu")
		if ps.Action != engine.ActionRerun || !slices.ContainsFunc(ps.Reasons, func(r string) bool { return strings.Contains(r, `fake.version: "1.0" -> "2.0"`) }) {
			t.Errorf("plan: %s %q", ps.Action, ps.Reasons)
		}
		if e.f.calls.Load() == calls {
			t.Error("a new declared version did not re-measure")
		}
	})

	// While the model will run, the benchmark's key waits on it; the plan
	// names that and nothing else: no attribute the key form fills in
	// (defaults, the label) or leaves out (other backends' blocks) reads
	// as a change.
	t.Run("upstream rerun gives only that reason", func(t *testing.T) {
		e.apply("", model.New())
		e.seed = "2"
		defer func() { e.seed = "1" }()
		plan, _ := e.apply("", model.New())
		ps := plan.Stage("stage.benchmark.cpu")
		if want := []string{"upstream stage.model.tiny will run"}; !slices.Equal(ps.Reasons, want) {
			t.Errorf("plan reasons %q, want %q", ps.Reasons, want)
		}
	})
}

// TestKeyConfigIgnoresOtherBackends: the config that enters the key holds
// only the selected backend's block, with its defaults, so registering
// another backend (the torch plug-in) changes no existing key.
func TestKeyConfigIgnoresOtherBackends(t *testing.T) {
	body := strings.Replace(fakeBody, `backend     = "fake"`, `backend     = "onnxruntime"`, 1)
	v := decodeBody(t, body, fakeArtifact(t.TempDir()))
	withFake := (&Kind{reg: testBackends()}).KeyConfig("cpu", v)
	own := v.AsValueMap()
	delete(own, "fake")
	onlyORT := (&Kind{reg: backends.NewRegistry(onnxruntime.Registration())}).KeyConfig("cpu", cty.ObjectVal(own))
	if !withFake.RawEquals(onlyORT) {
		t.Errorf("key config depends on the registered backends:\n%#v\n%#v", withFake, onlyORT)
	}
	if withFake.Type().HasAttribute("fake") {
		t.Error("the unused fake block is in the key")
	}
	ort := withFake.GetAttr("onnxruntime")
	if ort.IsNull() || ort.GetAttr("version").AsString() != onnxruntime.PinnedVersion {
		t.Errorf("onnxruntime block without its defaults: %#v", ort)
	}
	if l := withFake.GetAttr("label"); l.AsString() != "cpu" {
		t.Errorf("label %#v, want the stage's name", l)
	}
}
