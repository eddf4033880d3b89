package benchmark

import (
	"io"
	"log/slog"
	"os"
	"sync"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/tr119/tr119/engine"
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

// decodeBody evaluates a benchmark body the way the engine does: scenario
// blocks become objects with a name, the model an artifact value.
func decodeBody(t *testing.T, body string, model engine.Artifact) cty.Value {
	t.Helper()
	f, diags := hclsyntax.ParseConfig([]byte(testScenarios), "scenarios.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	content, diags := f.Body.Content(&hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{{Type: "scenario", LabelNames: []string{"name"}}}})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	scs := map[string]cty.Value{}
	for _, b := range content.Blocks {
		v, diags := hcldec.Decode(b.Body, NewScenarioBlock().Schema().Spec(), nil)
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		m := v.AsValueMap()
		m["name"] = cty.StringVal(b.Labels[0])
		scs[b.Labels[0]] = cty.ObjectVal(m)
	}
	ctx := &hcl.EvalContext{Variables: map[string]cty.Value{
		"scenario": cty.ObjectVal(scs),
		"model":    model.Value(),
	}}
	bf, diags := hclsyntax.ParseConfig([]byte(body), "pipeline.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	v, diags := hcldec.Decode(bf.Body, bodySchema(testBackends()).Spec(), ctx)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return v
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
