package benchmark

import (
	"io"
	"log/slog"
	"os"
	"sync"
	"testing"

	"github.com/zclconf/go-cty/cty"

	"github.com/tr119/tr119/engine"
	"github.com/tr119/tr119/stages/benchmark/benchmarktest"
)

// testScenarios are the default pipeline's shapes on a small scale.
const testScenarios = `
scenario "single_short" {
  prompts    = ["Explain what a KV cache is.", "Name three uses of a GPU."]
  batch_size = 1
}
scenario "batch_short" {
  prompts    = ["Explain what a KV cache is.", "Name three uses of a GPU."]
  batch_size = 4
}
`

// decodeBody evaluates a benchmark body the way the engine does.
func decodeBody(t *testing.T, body string, model engine.Artifact) cty.Value {
	t.Helper()
	return benchmarktest.Decode(t, bodySchema(testBackends()).Spec(), NewScenarioBlock().Schema().Spec(), testScenarios, body, model)
}

// recorder is a Progress that keeps the last report.
type recorder struct {
	mu          sync.Mutex
	done, total int64
	notes       []string
}

func (r *recorder) Report(done, total int64, note string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.done, r.total = done, total
	r.notes = append(r.notes, note)
}

func newRun(t *testing.T, cfg cty.Value, ckpt string) (*engine.Run, *recorder) {
	t.Helper()
	p := &recorder{}
	return &engine.Run{Addr: "stage.benchmark.test", Label: "test", Config: cfg, Workspace: t.TempDir(),
		OutDir: t.TempDir(), CheckpointDir: ckpt, Settings: map[string]string{}, Progress: p,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))}, p
}

func fakeArtifact(dir string) engine.Artifact {
	return engine.Artifact{Path: dir, SHA256: "abc123", Dir: true, Stage: "stage.model.tiny", Available: true}
}

func writeFile(path, s string) error { return os.WriteFile(path, []byte(s), 0o644) }
