package onnxruntime

import (
	"context"
	"errors"
	"time"

	ort "github.com/yalue/onnxruntime_go"

	"github.com/tr119/tr119/backends"
)

// generate is the report's uncached greedy loop over model_last.onnx:
// step k runs a full forward over the prompt and the k tokens so far.
// Every step's input tensors are allocated up front (their lengths grow
// by one per step); the [batch, vocab] logits tensor is shared.
type generate struct {
	runner
	ts     tensors
	sess   *ort.DynamicAdvancedSession
	shape  backends.Shape
	vocab  int
	ids    []*ort.Tensor[int64]
	mask   []*ort.Tensor[int64]
	logits *ort.Tensor[float32]
	in     [][]ort.Value
	out    []ort.Value
	loop   greedyLoop
}

func newGenerate(m *model, s backends.Shape) (_ backends.Runner, err error) {
	g := &generate{sess: m.sessions[graphLast], shape: s, vocab: m.cfg.VocabSize}
	defer func() {
		if err != nil {
			g.Close()
		}
	}()
	if g.runner, err = newRunner(); err != nil {
		return nil, err
	}
	b := int64(s.Batch)
	for k := range max(s.Steps(), 1) {
		n := int64(s.SeqLen + k)
		id, err := newI64(&g.ts, b, n)
		if err != nil {
			return nil, err
		}
		mk, err := newI64(&g.ts, b, n)
		if err != nil {
			return nil, err
		}
		g.ids, g.mask = append(g.ids, id), append(g.mask, mk)
		g.in = append(g.in, []ort.Value{id, mk})
	}
	if g.logits, err = newF32(&g.ts, b, int64(g.vocab)); err != nil {
		return nil, err
	}
	g.out = []ort.Value{g.logits}
	g.loop = newGreedyLoop(s)
	return g, nil
}

// Run implements backends.Runner.
func (g *generate) Run(ctx context.Context, ids, mask []int64) (backends.Output, error) {
	if err := copyInputs(g.ids[0], g.mask[0], ids, mask); err != nil {
		return backends.Output{}, err
	}
	g.loop.reset()
	for k := range g.shape.Steps() {
		start := time.Now()
		if err := g.run(ctx, g.sess, g.in[k], g.out); err != nil {
			return backends.Output{}, err
		}
		toks, err := g.loop.next(g.logits.GetData(), g.vocab)
		if err != nil {
			return backends.Output{}, err
		}
		if k+1 < g.shape.Steps() && !g.loop.done() {
			appendColumn(g.ids[k], g.ids[k+1], toks)
			appendColumn(g.mask[k], g.mask[k+1], nil)
		}
		g.loop.steps = append(g.loop.steps, time.Since(start))
		if g.loop.done() {
			break
		}
	}
	return g.loop.output(), nil
}

// appendColumn writes src's rows plus one column into dst: the token of
// each row, or 1 (a mask) when toks is nil.
func appendColumn(src, dst *ort.Tensor[int64], toks []int64) {
	n := int(src.GetShape()[1])
	s, d := src.GetData(), dst.GetData()
	for r := range len(s) / n {
		copy(d[r*(n+1):r*(n+1)+n], s[r*n:(r+1)*n])
		v := int64(1)
		if toks != nil {
			v = toks[r]
		}
		d[r*(n+1)+n] = v
	}
}

// Check implements backends.Runner: argmax already rejected NaN logits
// in the loop, so only infinities remain to find.
func (g *generate) Check() error { return backends.CheckFinite("logits", g.logits.GetData()) }

// Close implements backends.Runner.
func (g *generate) Close() error { return errors.Join(g.ts.Close(), g.runner.close()) }
