package onnxruntime

import (
	"slices"
	"testing"

	"github.com/tr119/tr119/backends"
)

// logitsFor returns [batch, vocab] logits whose argmax per row is toks.
func logitsFor(vocab int, toks ...int64) []float32 {
	l := make([]float32, len(toks)*vocab)
	for r, t := range toks {
		l[r*vocab+int(t)] = 1
	}
	return l
}

// TestGreedyStopOnEOS: with stop_on_eos a row ends at EOS (counted),
// later steps give it EOS again without counting, and the loop is done
// when every row has ended; without it EOS is an ordinary token.
func TestGreedyStopOnEOS(t *testing.T) {
	const vocab, eos = 8, 7
	steps := [][]int64{{3, 7}, {7, 2}, {5, 4}}
	tests := []struct {
		stop      bool
		generated int
		doneAt    int // step index after which done() is true; -1 never
		row0      []int64
	}{
		{true, 3, 1, []int64{3, 7}},
		{false, 6, -1, []int64{3, 7, 5}},
	}
	for _, tt := range tests {
		l := newGreedyLoop(backends.Shape{Batch: 2, SeqLen: 4, MaxNewTokens: 3, EOS: eos, StopOnEOS: tt.stop})
		l.reset()
		doneAt := -1
		for k, s := range steps {
			if _, err := l.next(logitsFor(vocab, s...), vocab); err != nil {
				t.Fatal(err)
			}
			if l.done() {
				doneAt = k
				break
			}
		}
		out := l.output()
		if out.Generated != tt.generated || doneAt != tt.doneAt || !slices.Equal(out.Tokens[0], tt.row0) {
			t.Errorf("stop=%v: generated %d, done at %d, row 0 %v; want %d, %d, %v",
				tt.stop, out.Generated, doneAt, out.Tokens[0], tt.generated, tt.doneAt, tt.row0)
		}
	}
}
