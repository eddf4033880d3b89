package onnxruntime

import (
	"fmt"
	"time"

	"github.com/tr119/tr119/backends"
)

// greedyLoop keeps the per-row state of a greedy generation: tokens so
// far, which rows have ended (stop_on_eos), and step times.
type greedyLoop struct {
	shape  backends.Shape
	tokens [][]int64
	ended  []bool
	cur    []int64
	steps  []time.Duration
}

func newGreedyLoop(s backends.Shape) greedyLoop {
	l := greedyLoop{shape: s, tokens: make([][]int64, s.Batch), ended: make([]bool, s.Batch),
		cur: make([]int64, s.Batch), steps: make([]time.Duration, 0, s.Steps())}
	for r := range l.tokens {
		l.tokens[r] = make([]int64, 0, s.Steps())
	}
	return l
}

func (l *greedyLoop) reset() {
	for r := range l.tokens {
		l.tokens[r] = l.tokens[r][:0]
		l.ended[r] = false
	}
	l.steps = l.steps[:0]
}

// next picks each row's token from [batch, vocab] logits. A row that has
// ended gets EOS again, as Hugging Face pads finished rows.
func (l *greedyLoop) next(logits []float32, vocab int) ([]int64, error) {
	if len(logits) != l.shape.Batch*vocab {
		return nil, fmt.Errorf("%w: logits hold %d values, want %d", backends.ErrInvariant, len(logits), l.shape.Batch*vocab)
	}
	for r := range l.cur {
		if l.ended[r] {
			l.cur[r] = l.shape.EOS
			continue
		}
		t, err := backends.Argmax(logits[r*vocab : (r+1)*vocab])
		if err != nil {
			return nil, fmt.Errorf("row %d: %w", r, err)
		}
		l.cur[r] = t
		l.tokens[r] = append(l.tokens[r], t)
		if l.shape.StopOnEOS && t == l.shape.EOS {
			l.ended[r] = true
		}
	}
	return l.cur, nil
}

// done is true when stop_on_eos ended every row.
func (l *greedyLoop) done() bool {
	for _, e := range l.ended {
		if !e {
			return false
		}
	}
	return true
}

func (l *greedyLoop) output() backends.Output {
	n := 0
	for _, t := range l.tokens {
		n += len(t)
	}
	return backends.Output{Generated: n, Steps: l.steps, Tokens: l.tokens}
}
