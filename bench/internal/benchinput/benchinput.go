package benchinput

import (
	"math"
	"slices"

	"github.com/tr119/tr119/prompts"
)

// Shape is one padded batch of token ids, as both sides read it.
type Shape struct {
	Name   string  `json:"name"`
	Batch  int     `json:"batch"`
	SeqLen int     `json:"seq_len"`
	IDs    []int64 `json:"ids"`
	Mask   []int64 `json:"mask"`
}

// Default resolves the default pipeline's five scenarios (single and
// batch of four; short, medium, long prompts; no batch of long ones).
func Default() ([]Shape, error) {
	tk, err := prompts.NewTokenizer()
	if err != nil {
		return nil, err
	}
	sets := prompts.DefaultSets()
	var out []Shape
	for _, s := range []struct {
		name, set string
		batch     int
	}{{"single_short", "short", 1}, {"single_medium", "medium", 1}, {"single_long", "long", 1},
		{"batch_short", "short", 4}, {"batch_medium", "medium", 4}} {
		set, err := prompts.Resolve(tk, sets[s.set], s.batch, prompts.DefaultMargin)
		if err != nil {
			return nil, err
		}
		b := set.Batches[0]
		out = append(out, Shape{Name: s.name, Batch: b.Size, SeqLen: b.SeqLen, IDs: b.IDs, Mask: b.Mask})
	}
	return out, nil
}

// Median of v; NaN for no samples, so that a missing side shows.
func Median(v []float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	s := slices.Clone(v)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}
