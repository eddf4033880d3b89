package torch_test

import (
	"context"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"

	"github.com/tr119/tr119/artifacts"
	"github.com/tr119/tr119/engine"
	"github.com/tr119/tr119/models/gpt2"
	"github.com/tr119/tr119/stages/all"
	"github.com/tr119/tr119/stages/benchmark"
	"github.com/tr119/tr119/stages/benchmark/benchmarktest"
)

const scenarios = `
scenario "single_short" {
  prompts    = ["Explain what a KV cache is.", "Name three uses of a GPU."]
  batch_size = 1
}
scenario "batch_short" {
  prompts    = ["Explain what a KV cache is."]
  batch_size = 3
}
`

// TestBenchmarkStage runs the benchmark stage (as registered in
// stages/all) with the torch backend's tr119-gpt2 implementation on the
// tiny preset, through a real worker: every row ok, the torch runtime in
// the environment.
func TestBenchmarkStage(t *testing.T) {
	py := os.Getenv("TR119_TORCH_PYTHON")
	if py == "" {
		py = "/usr/bin/python3"
	}
	out, err := exec.Command(py, "-c", "import torch; print(torch.__version__)").Output()
	if err != nil {
		t.Skipf("%s cannot import torch (install python3-torch, or set TR119_TORCH_PYTHON): %v", py, err)
	}
	version := strings.TrimSpace(string(out))
	cfg, err := gpt2.Preset("tiny")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := gpt2.WriteFolder(dir, cfg, gpt2.NewSynthetic(cfg, 42), gpt2.Provenance{Source: "synthetic", Preset: "tiny", Seed: 42}); err != nil {
		t.Fatal(err)
	}
	kind := benchmark.New(all.Backends())
	body := `
backend     = "torch"
model       = model
label       = "torch-cpu"
scenarios   = [scenario.single_short, scenario.batch_short]
repetitions = 2
warmups     = 1
max_new_tokens = 4
idle_baseline = "10ms"
torch {
  implementation = "tr119-gpt2"
  torch_version  = "` + version + `"
  threads        = 1
}
`
	model := engine.Artifact{Path: dir, SHA256: "abc123", Dir: true, Stage: "stage.model.tiny", Available: true}
	r := &engine.Run{Addr: "stage.benchmark.torch", Label: "torch", Config: decode(t, kind, body, model), Workspace: t.TempDir(),
		OutDir: t.TempDir(), CheckpointDir: filepath.Join(t.TempDir(), "ckpt"), Settings: map[string]string{"torch_python": py},
		Progress: nopProgress{}, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	res, err := kind.Run(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	tbl := benchmarktest.Output(t, r, res, "runs")
	status, _, _ := artifacts.StringCol(tbl, artifacts.ColStatus)
	reason, _, _ := artifacts.StringCol(tbl, artifacts.ColStatusReason)
	if len(status) < 3*3*3 { // 3 batches (2 prompts, 1 batch of 3) x 3 modes x 3 passes, and the drift cell
		t.Errorf("%d rows", len(status))
	}
	for i, s := range status {
		if s != artifacts.StatusOK {
			t.Errorf("row %d: %s %s", i, s, reason[i])
		}
	}
	for _, k := range []string{"torch.version", "torch.implementation", "torch.python_version", "torch.worker_sha256", "torch.python"} {
		if res.Environment[k] == "" {
			t.Errorf("environment lacks %s", k)
		}
	}
	if res.Environment["torch.implementation"] != "tr119-gpt2" {
		t.Errorf("implementation %q", res.Environment["torch.implementation"])
	}
}

func decode(t *testing.T, kind engine.Kind, body string, model engine.Artifact) cty.Value {
	t.Helper()
	return benchmarktest.Decode(t, kind.Schema().Spec(), benchmark.NewScenarioBlock().Schema().Spec(), scenarios, body, model)
}

type nopProgress struct{}

func (nopProgress) Report(int64, int64, string) {}
