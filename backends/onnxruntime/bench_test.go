package onnxruntime

import (
	"context"
	"testing"

	ort "github.com/yalue/onnxruntime_go"

	"github.com/tr119/tr119/backends"
)

// The harness must not be the bottleneck: BenchmarkPrefillRunner times
// the benchmark's path (Runner.Run: input copy, timeout hook, run
// options) and BenchmarkPrefillBare calls the same session with the same
// tensors directly; their difference is the harness overhead per call.
// Run: go test -bench Prefill -benchmem ./backends/onnxruntime/

func prefillBench(b *testing.B) (*prefill, []int64, []int64) {
	lib := testLibrary(b)
	dir := tinyFolderB(b)
	m, err := (&Backend{Library: lib, Settings: Settings{IntraOpThreads: 1}}).Open(context.Background(), dir, backends.Options{Device: "cpu", Modes: []backends.Mode{backends.Prefill}})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { m.Close() })
	r, err := m.Prepare(backends.Prefill, backends.Shape{Batch: 1, SeqLen: 11})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { r.Close() })
	ids, mask := make([]int64, 11), make([]int64, 11)
	for i := range ids {
		ids[i], mask[i] = int64(100+i), 1
	}
	return r.(*prefill), ids, mask
}

func BenchmarkPrefillRunner(b *testing.B) {
	p, ids, mask := prefillBench(b)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Run(ctx, ids, mask); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPrefillBare(b *testing.B) {
	p, ids, mask := prefillBench(b)
	copy(p.ids.GetData(), ids)
	copy(p.mask.GetData(), mask)
	in, out := []ort.Value{p.ids, p.mask}, []ort.Value{p.logits}
	b.ReportAllocs()
	for b.Loop() {
		if err := p.sess.Run(in, out); err != nil {
			b.Fatal(err)
		}
	}
}
