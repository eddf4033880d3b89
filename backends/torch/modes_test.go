package torch

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/tr119/tr119/backends"
	"github.com/tr119/tr119/prompts"
)

// TestModes: the three modes' token accounting and step timings, the
// in-worker loop (calls and minimum window), Check, and what the stage
// records (load stats and environment).
func TestModes(t *testing.T) {
	m := open(t, writeFolder(t, "tiny"), Config{Implementation: TR119GPT2, Threads: 1})
	b := batchOf(t, 3, true)
	for _, c := range []struct {
		mode            backends.Mode
		maxNew, maxSeq  int
		steps, produced int
	}{
		{backends.Prefill, 0, 0, 1, 0},
		{backends.Generate, 5, 512, 5, 15},
		{backends.Decode, 5, 512, 5, 15},
		{backends.Decode, 5, b.SeqLen + 2, 2, 6}, // max_seq_len caps the steps
	} {
		s := backends.Shape{Batch: 3, SeqLen: b.SeqLen, MaxNewTokens: c.maxNew, MaxSeqLen: c.maxSeq, EOS: prompts.EOS}
		r, err := m.prepare(context.Background(), c.mode, s)
		if err != nil {
			t.Fatal(err)
		}
		l, err := r.Window(context.Background(), b.IDs, b.Mask, backends.Until{Calls: 2, Duration: 30 * time.Millisecond})
		if err != nil {
			t.Fatalf("%s: %v", c.mode, err)
		}
		var sum time.Duration
		for _, call := range l.Calls {
			if len(call.Steps) != c.steps || call.Generated != c.produced || call.Latency <= 0 {
				t.Errorf("%s: call %+v, want %d steps and %d tokens", c.mode, call, c.steps, c.produced)
			}
			sum += call.Latency
		}
		if len(l.Calls) < 2 || l.Elapsed < 30*time.Millisecond || l.Elapsed < sum || l.Degraded != "" {
			t.Errorf("%s: %d calls in a %v window (calls sum to %v), degraded %q", c.mode, len(l.Calls), l.Elapsed, sum, l.Degraded)
		}
		if tok := l.Calls[len(l.Calls)-1].Tokens; c.mode != backends.Prefill && (len(tok) != 3 || len(tok[0]) != c.steps) {
			t.Errorf("%s: tokens %v", c.mode, tok)
		}
		if err := r.Check(); err != nil {
			t.Errorf("%s: check: %v", c.mode, err)
		}
		if _, err := r.Run(context.Background(), b.IDs[1:], b.Mask[1:]); !errors.Is(err, backends.ErrInvariant) {
			t.Errorf("%s: wrong input length: %v", c.mode, err)
		}
		if err := r.Close(); err != nil {
			t.Error(err)
		}
	}
	ls := m.Load()
	if ls.LibraryInit <= 0 || ls.Sessions["model.safetensors"] <= 0 || ls.Provider != "cpu" || ls.Version == "" {
		t.Errorf("load stats %+v", ls)
	}
	for _, k := range []string{"python_version", "version", "transformers_version", "implementation",
		"attn_implementation", "dtype", "threads", "matmul_precision", "tf32_matmul",
		"compile", "worker_sha256", "cache_implementation"} {
		if ls.Runtime[k] == "" {
			t.Errorf("runtime lacks %s: %v", k, ls.Runtime)
		}
	}
	if ls.Runtime["implementation"] != TR119GPT2 || ls.Runtime["threads"] != "1" || ls.Runtime["transformers_version"] != "not used" {
		t.Errorf("runtime %v", ls.Runtime)
	}
	if ls.Locations["python"] == "" || ls.Locations["python_executable"] == "" || ls.Runtime["python"] != "" {
		t.Errorf("locations %v", ls.Locations)
	}
	u, err := m.Usage(context.Background())
	if err != nil || u.CPUSeconds <= 0 || u.PeakRSSBytes < 10<<20 {
		t.Errorf("usage %+v, %v", u, err)
	}
	if err := m.ResetPeaks(context.Background()); err != nil {
		t.Error(err)
	}
}

// TestStopOnEOS: with stop_on_eos a row ends at EOS (counted once) and
// the loop stops when every row has ended, as the ONNX Runtime loop does.
// The tiny model's greedy token is made EOS by declaring it EOS.
func TestStopOnEOS(t *testing.T) {
	m := open(t, writeFolder(t, "tiny"), Config{Implementation: TR119GPT2, Threads: 1})
	b := batchOf(t, 2, true)
	first := greedyTokens(t, m, backends.Shape{Batch: 2, SeqLen: b.SeqLen, MaxNewTokens: 3, MaxSeqLen: 512, EOS: prompts.EOS}, b)
	for _, mode := range []backends.Mode{backends.Generate, backends.Decode} {
		s := backends.Shape{Batch: 2, SeqLen: b.SeqLen, MaxNewTokens: 6, MaxSeqLen: 512, StopOnEOS: true, EOS: first[0][0]}
		r, err := m.prepare(context.Background(), mode, s)
		if err != nil {
			t.Fatal(err)
		}
		out, err := r.Run(context.Background(), b.IDs, b.Mask)
		if err != nil {
			t.Fatal(err)
		}
		if out.Generated != 2 || len(out.Steps) != 1 || len(out.Tokens[0]) != 1 {
			t.Errorf("%s: %+v, want one token per row in one step", mode, out)
		}
		r.Close()
	}
}

func greedyTokens(t *testing.T, m *Model, s backends.Shape, b prompts.Batch) [][]int64 {
	t.Helper()
	r, err := m.prepare(context.Background(), backends.Decode, s)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	out, err := r.Run(context.Background(), b.IDs, b.Mask)
	if err != nil {
		t.Fatal(err)
	}
	return out.Tokens
}

func TestConfigErrors(t *testing.T) {
	for _, c := range []struct {
		cfg  Config
		want string
	}{
		{Config{Implementation: "jax"}, "torch.implementation"},
		{Config{DType: "int8"}, "torch.dtype"},
		{Config{Device: "gpu"}, "torch.device"},
		{Config{Device: "cuda:x"}, "torch.device"},
		{Config{Compile: true, CompileMode: "fast"}, "torch.compile_mode"},
		{Config{CompileMode: "default"}, "needs compile = true"},
		{Config{Compile: true, Implementation: TR119GPT2}, "tr119-gpt2 runs eagerly"},
		{Config{Threads: -1}, "torch.threads"},
		{Config{Dynamic: "maybe"}, "torch.dynamic"},
		{Config{MatmulPrecision: "low"}, "torch.matmul_precision"},
		{Config{TF32: "yes"}, "torch.tf32"},
		{Config{Env: []string{"NOEQUALS"}}, "torch.env"},
	} {
		if _, err := New(c.cfg); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want an error naming %q", c.cfg, err, c.want)
		}
	}
	c, err := Config{Device: "cuda", Compile: true}.Normalize()
	if err != nil || c.Device != "cuda:0" || c.CompileMode != "default" || c.Python != "python3" || c.Implementation != Transformers || c.DType != "float32" {
		t.Errorf("defaults: %+v, %v", c, err)
	}
}

// TestBadFolder: a folder without config.json or with a broken
// safetensors file fails to open, naming the file.
func TestBadFolder(t *testing.T) {
	py := testPython(t)
	b, _ := New(Config{Python: py, Implementation: TR119GPT2})
	if _, err := b.Open(context.Background(), t.TempDir(), backends.Options{}); err == nil || !strings.Contains(err.Error(), "config.json") {
		t.Errorf("empty folder: %v", err)
	}
}

func TestVersionMatches(t *testing.T) {
	for _, c := range []struct {
		declared, found string
		want            bool
	}{
		{"2.11.0", "2.11.0+cu130", true}, {"1.13.0", "1.13.0a0", true}, {"2.11", "2.11.0", true},
		{"2.1", "2.11.0", false}, {"2.11.0", "2.10.0", false}, {"", "anything", true}, {"5.17.0", "5.17.0", true},
	} {
		if got := versionMatches(c.declared, c.found); got != c.want {
			t.Errorf("versionMatches(%q, %q) = %v", c.declared, c.found, got)
		}
	}
}

// TestRuntimeMismatch: a worker whose torch is not the declared one fails
// before loading anything, naming both versions.
func TestRuntimeMismatch(t *testing.T) {
	py := testPython(t)
	b, _ := New(Config{Python: py, Implementation: TR119GPT2, TorchVersion: "0.1.0"})
	_, err := b.Open(context.Background(), writeFolder(t, "tiny"), backends.Options{})
	if !errors.Is(err, backends.ErrRuntimeMismatch) || !strings.Contains(err.Error(), "declares 0.1.0") {
		t.Errorf("mismatch: %v", err)
	}
}
