package torch

import (
	"context"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tr119/tr119/backends"
	"github.com/tr119/tr119/prompts"
)

// transformersPython skips where transformers is not importable (Debian's
// torch has none; the GPU machine's python3 has it).
func transformersPython(t *testing.T) string {
	t.Helper()
	py := testPython(t)
	if !hasModule(py, "transformers") {
		t.Skipf("%s cannot import transformers (pip install transformers; the GPU machine's python3 has it)", py)
	}
	return py
}

// testDevice is TR119_TORCH_DEVICE, else cpu.
func testDevice() string {
	if d := os.Getenv("TR119_TORCH_DEVICE"); d != "" {
		return d
	}
	return "cpu"
}

// TestParityTransformers: GPT2LMHeadModel loaded from the same folder
// agrees with ONNX Runtime (float32, TF32 off) on logits and greedy
// tokens, as tr119-gpt2 does.
func TestParityTransformers(t *testing.T) {
	py := transformersPython(t)
	parity(t, writeFolder(t, "tiny"), Config{Python: py, Device: testDevice(), TF32: "false", MatmulPrecision: "highest"}, 1e-4)
}

// TestCompiled: torch.compile'd transformers (needs torch >= 2; set
// TR119_TEST_COMPILE=1, as compiling takes minutes on a CPU) runs every
// mode with no compilation inside timed windows, records compile time and
// counters, and produces the eager model's tokens.
func TestCompiled(t *testing.T) {
	py := transformersPython(t)
	if os.Getenv("TR119_TEST_COMPILE") == "" {
		t.Skip("set TR119_TEST_COMPILE=1 to compile (minutes; needs torch >= 2)")
	}
	dir := writeFolder(t, "tiny")
	base := Config{Python: py, Device: testDevice(), TF32: "false", MatmulPrecision: "highest"}
	eager := open(t, dir, base)
	cc := base
	cc.Compile, cc.CompileMode = true, os.Getenv("TR119_TEST_COMPILE_MODE")
	compiled := open(t, dir, cc)
	ids, mask, seq := mixed(t)
	for _, mode := range []backends.Mode{backends.Prefill, backends.Generate, backends.Decode} {
		s := backends.Shape{Batch: 2, SeqLen: seq, MaxNewTokens: 8, MaxSeqLen: 512, EOS: prompts.EOS}
		var toks [2][][]int64
		for i, m := range []*Model{eager, compiled} {
			r, err := m.prepare(context.Background(), mode, s)
			if err != nil {
				t.Fatalf("%s: %v", mode, err)
			}
			l, err := r.Window(context.Background(), ids, mask, backends.Until{Calls: 3})
			if err != nil {
				t.Fatalf("%s: %v", mode, err)
			}
			if l.Degraded != "" || l.FramesCompiled != 0 {
				t.Errorf("%s compiled=%v: degraded %q, %d frames compiled in the window", mode, i == 1, l.Degraded, l.FramesCompiled)
			}
			if err := r.Check(); err != nil {
				t.Error(err)
			}
			toks[i] = l.Calls[len(l.Calls)-1].Tokens
			var lat []string
			for _, c := range l.Calls {
				lat = append(lat, c.Latency.Round(10*time.Microsecond).String())
			}
			t.Logf("%s compiled=%v: calls %s", mode, i == 1, strings.Join(lat, " "))
			r.Close()
		}
		for r := range toks[0] {
			if !slices.Equal(toks[0][r], toks[1][r]) {
				t.Errorf("%s row %d: eager %v, compiled %v", mode, r, toks[0][r], toks[1][r])
			}
		}
	}
	ls := compiled.Load()
	for k, v := range ls.Runtime {
		t.Logf("%s = %s", k, v)
	}
	for k, v := range ls.Sessions {
		t.Logf("cold start %s: %v", k, v)
	}
	if ls.Runtime["compile"] != "true" || ls.Runtime["cache_implementation"] != "static" || ls.Sessions["compile:decode:2x"+strconv.Itoa(seq)] <= 0 {
		t.Errorf("load stats %+v", ls)
	}
}
