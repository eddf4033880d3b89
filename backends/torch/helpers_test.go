package torch

import (
	"context"
	"os"
	"os/exec"
	"testing"

	"github.com/tr119/tr119/backends"
	"github.com/tr119/tr119/models/gpt2"
	"github.com/tr119/tr119/prompts"
)

// testPython is the interpreter the tests drive: TR119_TORCH_PYTHON, else
// /usr/bin/python3 (where Debian's python3-torch is importable). Tests
// skip, saying why, only when it cannot import torch.
func testPython(t testing.TB) string {
	t.Helper()
	py := os.Getenv("TR119_TORCH_PYTHON")
	if py == "" {
		py = "/usr/bin/python3"
	}
	if out, err := exec.Command(py, "-c", "import torch").CombinedOutput(); err != nil {
		t.Skipf("%s cannot import torch (install python3-torch, or set TR119_TORCH_PYTHON): %v: %s", py, err, lastLine(out))
	}
	return py
}

// hasModule reports whether py imports module.
func hasModule(py, module string) bool {
	return exec.Command(py, "-c", "import "+module).Run() == nil
}

func lastLine(b []byte) string {
	s := string(b)
	for len(s) > 0 && s[len(s)-1] == '\n' {
		s = s[:len(s)-1]
	}
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == '\n' {
			return s[i+1:]
		}
	}
	return s
}

// writeFolder writes a preset's synthetic model folder.
func writeFolder(t testing.TB, preset string) string {
	t.Helper()
	cfg, err := gpt2.Preset(preset)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := gpt2.WriteFolder(dir, cfg, gpt2.NewSynthetic(cfg, 42), gpt2.Provenance{Source: "synthetic", Preset: preset, Seed: 42}); err != nil {
		t.Fatal(err)
	}
	return dir
}

// batchOf returns the padded batch of one prompt set: the short prompt
// of two, left-padded by the long one's length.
func batchOf(t testing.TB, batch int, short bool) prompts.Batch {
	t.Helper()
	tk, err := prompts.NewTokenizer()
	if err != nil {
		t.Fatal(err)
	}
	s, err := prompts.Resolve(tk, []string{"Explain what a KV cache is, and why decoding needs it.", "Hi there"}, batch, 2)
	if err != nil {
		t.Fatal(err)
	}
	if short {
		return s.Batches[1]
	}
	return s.Batches[0]
}

// mixed is a batch whose rows differ: the long prompt and the short one
// left-padded to the same length.
func mixed(t testing.TB) (ids, mask []int64, seq int) {
	t.Helper()
	long, short := batchOf(t, 1, false), batchOf(t, 1, true)
	return append(append([]int64{}, long.IDs...), short.IDs...), append(append([]int64{}, long.Mask...), short.Mask...), long.SeqLen
}

// open starts a worker on dir with cfg (Python filled in).
func open(t testing.TB, dir string, cfg Config) *Model {
	t.Helper()
	if cfg.Python == "" {
		cfg.Python = testPython(t)
	}
	b, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	m, err := b.OpenModel(context.Background(), dir, backendsOptions())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	return m
}

func backendsOptions() backends.Options {
	return backends.Options{Device: "cpu"}
}
