package benchmark

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tr119/tr119/artifacts"
	"github.com/tr119/tr119/backends/onnxruntime"
	"github.com/tr119/tr119/engine"
	"github.com/tr119/tr119/models/gpt2"
	"github.com/tr119/tr119/stages/benchmark/benchmarktest"
)

// ortRun returns a run whose settings point at the project's library, or
// skips when scripts/fetch-onnxruntime.sh has not fetched it.
func ortRun(t *testing.T, body string) *engine.Run {
	t.Helper()
	wd, _ := os.Getwd()
	lib, err := onnxruntime.ResolveLibrary(os.Getenv("TR119_ONNXRUNTIME_LIB"), wd)
	if err != nil {
		t.Skipf("no onnxruntime library: %v", err)
	}
	cfg, err := gpt2.Preset("tiny")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := gpt2.WriteFolder(dir, cfg, gpt2.NewSynthetic(cfg, 42), gpt2.Provenance{Source: "synthetic", Preset: "tiny", Seed: 42}); err != nil {
		t.Fatal(err)
	}
	r, _ := newRun(t, decodeBody(t, body, fakeArtifact(dir)), filepath.Join(t.TempDir(), "ckpt"))
	r.Settings["onnxruntime_library"] = lib
	return r
}

// TestEndToEndTiny runs the kind on the tiny preset with ONNX Runtime on
// the CPU: every row ok, tokens by the report's accounting, decode rows
// with TTFT and ITL, energy unavailable here.
func TestEndToEndTiny(t *testing.T) {
	r := ortRun(t, `
backend          = "onnxruntime"
model            = model
scenarios        = [scenario.single_short, scenario.batch_short]
repetitions      = 2
warmups          = 1
onnxruntime {
  intra_op_threads = 1
}
`)
	res, err := New(testBackends()).Run(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	tbl := benchmarktest.Output(t, r, res, "runs")
	if v := artifacts.SchemaVersion(tbl.Schema()); v != artifacts.RunsVersion {
		t.Errorf("schema version %q", v)
	}
	if names := col(t, tbl, artifacts.ColModel, artifacts.StringCol); names[0] != "tiny" {
		t.Errorf("model %q, want the folder's preset %q", names[0], "tiny")
	}
	cpu, cpuOK, _ := artifacts.Float64Col(tbl, artifacts.ColProcessCPUS)
	util, utilOK, _ := artifacts.Float64Col(tbl, artifacts.ColSystemCPUUtil)
	for i := range cpu {
		if !cpuOK[i] || cpu[i] < 0 || (utilOK[i] && (util[i] < 0 || util[i] > 1)) {
			t.Errorf("row %d: process_cpu_s %v (valid %v), system_cpu_util %v", i, cpu[i], cpuOK[i], util[i])
		}
	}
	status := col(t, tbl, artifacts.ColStatus, artifacts.StringCol)
	reason := col(t, tbl, artifacts.ColStatusReason, artifacts.StringCol)
	modes := col(t, tbl, artifacts.ColMode, artifacts.StringCol)
	ttft, ttftOK, _ := artifacts.Float64Col(tbl, artifacts.ColTTFTMS)
	thr, thrOK, _ := artifacts.Float64Col(tbl, artifacts.ColThroughput)
	if len(status) != 7*3*2 {
		t.Fatalf("%d rows, want 42", len(status))
	}
	for i := range status {
		if status[i] != artifacts.StatusOK {
			t.Errorf("row %d %s: %s", i, status[i], reason[i])
		}
		if (modes[i] == "decode") != ttftOK[i] || (ttftOK[i] && ttft[i] <= 0) {
			t.Errorf("row %d %s: ttft %v (valid %v)", i, modes[i], ttft[i], ttftOK[i])
		}
		if !thrOK[i] || thr[i] <= 0 {
			t.Errorf("row %d: throughput %v", i, thr[i])
		}
	}
	env := res.Environment
	if env["onnxruntime.version"] != onnxruntime.PinnedVersion || len(env["onnxruntime.library_sha256"]) != 64 || env["provider"] != "cpu" || env["session_create_ms.decoder.onnx"] == "" {
		t.Errorf("environment %v", env)
	}
	for _, o := range []string{"calls", "environment"} {
		if _, err := os.Stat(filepath.Join(r.OutDir, res.Outputs[o])); err != nil {
			t.Error(err)
		}
	}
}

// TestCUDAUnavailable asks ONNX Runtime for the CUDA provider on a
// machine without it: optional gives "unavailable" with ONNX Runtime's
// own message, never a CPU run.
func TestCUDAUnavailable(t *testing.T) {
	r := ortRun(t, `
backend   = "onnxruntime"
device    = "cuda"
optional  = true
model     = model
scenarios = [scenario.single_short]
`)
	res, err := New(testBackends()).Run(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	if res.Unavailable == "" || len(res.Outputs) != 0 {
		t.Fatalf("cuda on a machine without it: %+v", res)
	}
	if _, err := os.Stat("/dev/nvidia0"); err != nil && !strings.Contains(res.Unavailable, "Failed to load library") {
		t.Errorf("reason is not ONNX Runtime's own: %s", res.Unavailable)
	}
}
