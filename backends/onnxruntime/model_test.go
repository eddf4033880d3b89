package onnxruntime

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/tr119/tr119/backends"
	"github.com/tr119/tr119/models/gpt2"
	"github.com/tr119/tr119/prompts"
)

// tinyFolder writes the tiny preset's model folder once per test.
func tinyFolder(t *testing.T) string { return tinyFolderB(t) }

func tinyFolderB(t testing.TB) string {
	t.Helper()
	cfg, err := gpt2.Preset("tiny")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := gpt2.WriteFolder(dir, cfg, gpt2.NewSynthetic(cfg, 42), gpt2.Provenance{Source: "synthetic", Preset: "tiny", Seed: 42}); err != nil {
		t.Fatal(err)
	}
	return dir
}

func openTiny(t *testing.T, modes ...backends.Mode) backends.Model {
	t.Helper()
	lib := testLibrary(t)
	m, err := (&Backend{Library: lib, Settings: Settings{Version: PinnedVersion, IntraOpThreads: 1}}).Open(context.Background(), tinyFolder(t), backends.Options{Device: "cpu", Modes: modes})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	return m
}

func leftPadded(t *testing.T, batch int) prompts.Batch {
	t.Helper()
	tk, err := prompts.NewTokenizer()
	if err != nil {
		t.Fatal(err)
	}
	s, err := prompts.Resolve(tk, []string{"Explain what a KV cache is.", "Hi"}, batch, 2)
	if err != nil {
		t.Fatal(err)
	}
	return s.Batches[1] // the short prompt: mostly padding
}

// TestDecodeMatchesGenerate: the KV-cache loop and the uncached loop are
// both greedy over the same weights, so they must produce the same tokens,
// left padding included.
func TestDecodeMatchesGenerate(t *testing.T) {
	m := openTiny(t, backends.Prefill, backends.Generate, backends.Decode)
	b := leftPadded(t, 2)
	shape := backends.Shape{Batch: b.Size, SeqLen: b.SeqLen, MaxNewTokens: 6, MaxSeqLen: 512, EOS: prompts.EOS}
	var got [2][][]int64
	for i, mode := range []backends.Mode{backends.Generate, backends.Decode} {
		r, err := m.Prepare(mode, shape)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		for range 2 { // a second call must reuse the tensors and give the same tokens
			out, err := r.Run(context.Background(), b.IDs, b.Mask)
			if err != nil {
				t.Fatalf("%s: %v", mode, err)
			}
			if out.Generated != 12 || len(out.Steps) != 6 {
				t.Fatalf("%s: generated %d in %d steps, want 12 in 6", mode, out.Generated, len(out.Steps))
			}
			if err := r.Check(); err != nil {
				t.Fatal(err)
			}
			got[i] = clone(out.Tokens)
		}
	}
	for row := range got[0] {
		if !slices.Equal(got[0][row], got[1][row]) {
			t.Errorf("row %d: generate %v, decode %v", row, got[0][row], got[1][row])
		}
	}
	if !slices.Equal(got[0][0], got[0][1]) {
		t.Errorf("repeated rows differ: %v vs %v", got[0][0], got[0][1])
	}
}

func clone(v [][]int64) [][]int64 {
	out := make([][]int64, len(v))
	for i := range v {
		out[i] = slices.Clone(v[i])
	}
	return out
}

func TestPrefillAndErrors(t *testing.T) {
	m := openTiny(t, backends.Prefill)
	if ls := m.Load(); ls.Sessions[graphFull] <= 0 || ls.Provider != "cpu" {
		t.Errorf("load stats %+v", ls)
	}
	b := leftPadded(t, 4)
	r, err := m.Prepare(backends.Prefill, backends.Shape{Batch: 4, SeqLen: b.SeqLen})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	out, err := r.Run(context.Background(), b.IDs, b.Mask)
	if err != nil || len(out.Steps) != 1 || out.Generated != 0 {
		t.Fatalf("prefill: %+v, %v", out, err)
	}
	if err := r.Check(); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Run(context.Background(), b.IDs[:3], b.Mask[:3]); !errors.Is(err, backends.ErrInvariant) {
		t.Errorf("wrong input length: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Nanosecond)
	defer cancel()
	time.Sleep(time.Millisecond)
	if _, err := r.Run(ctx, b.IDs, b.Mask); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("expired context: %v", err)
	}
	if _, err := m.Prepare(backends.Decode, backends.Shape{Batch: 1, SeqLen: 4}); err == nil {
		t.Error("decode prepared without its graphs")
	}
}
