package ortcheck

import (
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/tr119/tr119/models/gpt2"
)

const decodeSteps = 10

func argmax(x []float32) int64 {
	best := 0
	for i, v := range x {
		if v > x[best] {
			best = i
		}
	}
	return int64(best)
}

// greedyUncached is the report's uncached loop: model_last over the whole
// growing sequence at every step. It returns tokens [step][row].
func greedyUncached(t *testing.T, dir string, b batch, vocab int) [][]int64 {
	s := openSession(t, filepath.Join(dir, "model_last.onnx"), []string{"input_ids", "attention_mask"}, []string{"logits"})
	rows := make([][]int64, b.rows)
	masks := make([][]int64, b.rows)
	for r := range b.rows {
		rows[r], masks[r] = b.row(r)
		rows[r], masks[r] = slices.Clone(rows[r]), slices.Clone(masks[r])
	}
	var steps [][]int64
	for range decodeSteps {
		seq := len(rows[0])
		shape := []int64{int64(b.rows), int64(seq)}
		logits := s.run(t, [][]int64{slices.Concat(rows...), slices.Concat(masks...)}, [][]int64{shape, shape}, nil)[0]
		var next []int64
		for r := range b.rows {
			tok := argmax(logits.data[r*vocab : (r+1)*vocab])
			next = append(next, tok)
			rows[r] = append(rows[r], tok)
			masks[r] = append(masks[r], 1)
		}
		steps = append(steps, next)
	}
	return steps
}

// greedyCached runs decoder.onnx once, then decoder_with_past.onnx one
// token at a time on the returned keys and values.
func greedyCached(t *testing.T, dir string, b batch, vocab, layers int) [][]int64 {
	var kvNames, pastNames []string
	for l := range layers {
		kvNames = append(kvNames, fmt.Sprintf("present.%d.key", l), fmt.Sprintf("present.%d.value", l))
		pastNames = append(pastNames, fmt.Sprintf("past.%d.key", l), fmt.Sprintf("past.%d.value", l))
	}
	outs := append([]string{"logits"}, kvNames...)
	pre := openSession(t, filepath.Join(dir, "decoder.onnx"), []string{"input_ids", "attention_mask"}, outs)
	step := openSession(t, filepath.Join(dir, "decoder_with_past.onnx"), append([]string{"input_ids", "attention_mask"}, pastNames...), outs)

	mask := slices.Clone(b.mask)
	res := pre.run(t, [][]int64{b.ids, mask}, [][]int64{b.shape(), b.shape()}, nil)
	seq := b.seq
	var steps [][]int64
	for {
		if got, want := res[1].shape, []int64{int64(b.rows), -1, int64(seq), -1}; got[2] != want[2] || got[0] != want[0] {
			t.Fatalf("present shape %v, want batch %d and %d positions", got, b.rows, seq)
		}
		var next []int64
		for r := range b.rows {
			next = append(next, argmax(res[0].data[r*vocab:(r+1)*vocab]))
		}
		steps = append(steps, next)
		if len(steps) == decodeSteps {
			return steps
		}
		// Grow each row's mask by one real token.
		var grown []int64
		for r := range b.rows {
			grown = append(grown, mask[r*seq:(r+1)*seq]...)
			grown = append(grown, 1)
		}
		mask, seq = grown, seq+1
		res = step.run(t, [][]int64{next, mask}, [][]int64{{int64(b.rows), 1}, {int64(b.rows), int64(seq)}}, res[1:])
	}
}

func TestDecodeMatchesUncached(t *testing.T) {
	for _, vr := range variants {
		for _, tt := range batches {
			t.Run(vr.name+"/"+tt.name, func(t *testing.T) {
				testDecode(t, vr.opts, tt.b)
			})
		}
	}
}

func testDecode(t *testing.T, opts gpt2.Options, b batch) {
	dir, ref := tiny(t, opts)
	v := ref.cfg.VocabSize
	want := greedyUncached(t, dir, b, v)
	got := greedyCached(t, dir, b, v, ref.cfg.NLayer)
	t.Logf("greedy tokens by step: %v", got)
	for i := range want {
		if !slices.Equal(got[i], want[i]) {
			t.Fatalf("step %d: KV-cache tokens %v, uncached %v", i, got[i], want[i])
		}
	}
	// The same tokens from the float64 reference (computed once per batch:
	// every variant has the same weights).
	fromRef := referenceTokens(ref, b)
	for i := range want {
		if !slices.Equal(fromRef[i], want[i]) {
			t.Fatalf("step %d: float64 reference tokens %v, graphs %v", i, fromRef[i], want[i])
		}
	}
}

var refTokens sync.Map // fmt of a batch's ids -> [][]int64

// referenceTokens is the float64 reference's greedy loop, tokens
// [step][row], memoised per batch.
func referenceTokens(ref *refModel, b batch) [][]int64 {
	key := fmt.Sprint(b.ids, b.mask)
	if v, ok := refTokens.Load(key); ok {
		return v.([][]int64)
	}
	steps := make([][]int64, decodeSteps)
	for r := range b.rows {
		ids, mask := b.row(r)
		ids, mask = slices.Clone(ids), slices.Clone(mask)
		for i := range steps {
			l := ref.forward(ids, mask, true)
			last := l[len(l)-1]
			best := 0
			for k, x := range last {
				if x > last[best] {
					best = k
				}
			}
			steps[i] = append(steps[i], int64(best))
			ids, mask = append(ids, int64(best)), append(mask, 1)
		}
	}
	refTokens.Store(key, steps)
	return steps
}
