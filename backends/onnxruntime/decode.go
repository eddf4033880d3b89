package onnxruntime

import (
	"context"
	"errors"
	"time"

	ort "github.com/yalue/onnxruntime_go"

	"github.com/tr119/tr119/backends"
)

// decode is the KV-cache greedy loop: decoder.onnx over the prompt gives
// the first token and the cache, then decoder_with_past.onnx takes one
// token per step. Step k's present tensors are allocated up front and are
// step k+1's past inputs, so the cache is never copied.
type decode struct {
	runner
	ts      tensors
	first   *ort.DynamicAdvancedSession
	step    *ort.DynamicAdvancedSession
	shape   backends.Shape
	vocab   int
	ids     *ort.Tensor[int64]   // [batch, seq]
	stepIDs *ort.Tensor[int64]   // [batch, 1]
	mask    []*ort.Tensor[int64] // step k: [batch, seq+k]
	logits  *ort.Tensor[float32]
	in      [][]ort.Value // per step
	out     [][]ort.Value // per step: logits, present...
	loop    greedyLoop
}

func newDecode(m *model, s backends.Shape) (_ backends.Runner, err error) {
	d := &decode{first: m.sessions[graphDecoder], step: m.sessions[graphWithPast], shape: s, vocab: m.cfg.VocabSize}
	defer func() {
		if err != nil {
			d.Close()
		}
	}()
	if d.runner, err = newRunner(); err != nil {
		return nil, err
	}
	c := m.cfg
	b, h, hd := int64(s.Batch), int64(c.NHead), int64(c.NEmbd/c.NHead)
	if d.ids, err = newI64(&d.ts, b, int64(s.SeqLen)); err != nil {
		return nil, err
	}
	if d.stepIDs, err = newI64(&d.ts, b, 1); err != nil {
		return nil, err
	}
	if d.logits, err = newF32(&d.ts, b, int64(d.vocab)); err != nil {
		return nil, err
	}
	var past []ort.Value
	for k := range max(s.Steps(), 1) {
		n := int64(s.SeqLen + k)
		mk, err := newI64(&d.ts, b, n)
		if err != nil {
			return nil, err
		}
		d.mask = append(d.mask, mk)
		out := []ort.Value{d.logits}
		for range 2 * c.NLayer {
			t, err := newF32(&d.ts, b, h, n, hd)
			if err != nil {
				return nil, err
			}
			out = append(out, t)
		}
		in := []ort.Value{d.ids, mk}
		if k > 0 {
			in = append([]ort.Value{d.stepIDs, mk}, past...)
		}
		d.in, d.out = append(d.in, in), append(d.out, out)
		past = out[1:]
	}
	d.loop = newGreedyLoop(s)
	return d, nil
}

// Run implements backends.Runner.
func (d *decode) Run(ctx context.Context, ids, mask []int64) (backends.Output, error) {
	if err := copyInputs(d.ids, d.mask[0], ids, mask); err != nil {
		return backends.Output{}, err
	}
	d.loop.reset()
	for k := range d.shape.Steps() {
		start := time.Now()
		sess := d.step
		if k == 0 {
			sess = d.first
		}
		if err := d.run(ctx, sess, d.in[k], d.out[k]); err != nil {
			return backends.Output{}, err
		}
		toks, err := d.loop.next(d.logits.GetData(), d.vocab)
		if err != nil {
			return backends.Output{}, err
		}
		if k+1 < d.shape.Steps() && !d.loop.done() {
			copy(d.stepIDs.GetData(), toks)
			appendColumn(d.mask[k], d.mask[k+1], nil)
		}
		d.loop.steps = append(d.loop.steps, time.Since(start))
		if d.loop.done() {
			break
		}
	}
	return d.loop.output(), nil
}

// Check implements backends.Runner.
func (d *decode) Check() error { return backends.CheckFinite("logits", d.logits.GetData()) }

// Close implements backends.Runner.
func (d *decode) Close() error { return errors.Join(d.ts.Close(), d.runner.close()) }
