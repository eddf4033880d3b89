package onnxruntime

import (
	"context"
	"errors"
	"fmt"
	"time"

	ort "github.com/yalue/onnxruntime_go"

	"github.com/tr119/tr119/backends"
)

// prefill runs model.onnx once over the padded batch.
type prefill struct {
	runner
	ts     tensors
	sess   *ort.DynamicAdvancedSession
	ids    *ort.Tensor[int64]
	mask   *ort.Tensor[int64]
	logits *ort.Tensor[float32]
	in     []ort.Value
	out    []ort.Value
	steps  []time.Duration
}

func newPrefill(m *model, s backends.Shape) (_ backends.Runner, err error) {
	p := &prefill{sess: m.sessions[graphFull], steps: make([]time.Duration, 1)}
	defer func() {
		if err != nil {
			p.Close()
		}
	}()
	b, n := int64(s.Batch), int64(s.SeqLen)
	if p.runner, err = newRunner(); err != nil {
		return nil, err
	}
	if p.ids, err = newI64(&p.ts, b, n); err != nil {
		return nil, err
	}
	if p.mask, err = newI64(&p.ts, b, n); err != nil {
		return nil, err
	}
	if p.logits, err = newF32(&p.ts, b, n, int64(m.cfg.VocabSize)); err != nil {
		return nil, err
	}
	p.in = []ort.Value{p.ids, p.mask}
	p.out = []ort.Value{p.logits}
	return p, nil
}

func copyInputs(ids, mask *ort.Tensor[int64], inIDs, inMask []int64) error {
	if len(inIDs) != len(ids.GetData()) || len(inMask) != len(mask.GetData()) {
		return fmt.Errorf("%w: input holds %d ids and %d mask values, the runner's shape %v needs %d",
			backends.ErrInvariant, len(inIDs), len(inMask), ids.GetShape(), len(ids.GetData()))
	}
	copy(ids.GetData(), inIDs)
	copy(mask.GetData(), inMask)
	return nil
}

// Run implements backends.Runner.
func (p *prefill) Run(ctx context.Context, ids, mask []int64) (backends.Output, error) {
	if err := copyInputs(p.ids, p.mask, ids, mask); err != nil {
		return backends.Output{}, err
	}
	start := time.Now()
	if err := p.run(ctx, p.sess, p.in, p.out); err != nil {
		return backends.Output{}, err
	}
	p.steps[0] = time.Since(start)
	return backends.Output{Steps: p.steps}, nil
}

// Check implements backends.Runner.
func (p *prefill) Check() error { return backends.CheckFinite("logits", p.logits.GetData()) }

// Close implements backends.Runner.
func (p *prefill) Close() error { return errors.Join(p.ts.Close(), p.runner.close()) }
