package gpt2

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/tr119/tr119/models/safetensors"
)

// Tensors returns every weight of the model under its Hugging Face name,
// in the order they are stored: embeddings, then each block, then ln_f.
// Conv1D weights are [in, out]: y = x·W + b.
func (c Config) Tensors() []safetensors.Entry {
	e, i, v, p := int64(c.NEmbd), int64(c.NInner), int64(c.VocabSize), int64(c.NPositions)
	out := []safetensors.Entry{{Name: "wte.weight", Shape: []int64{v, e}}, {Name: "wpe.weight", Shape: []int64{p, e}}}
	for l := range c.NLayer {
		h := fmt.Sprintf("h.%d.", l)
		out = append(out,
			safetensors.Entry{Name: h + "ln_1.weight", Shape: []int64{e}},
			safetensors.Entry{Name: h + "ln_1.bias", Shape: []int64{e}},
			safetensors.Entry{Name: h + "attn.c_attn.weight", Shape: []int64{e, 3 * e}},
			safetensors.Entry{Name: h + "attn.c_attn.bias", Shape: []int64{3 * e}},
			safetensors.Entry{Name: h + "attn.c_proj.weight", Shape: []int64{e, e}},
			safetensors.Entry{Name: h + "attn.c_proj.bias", Shape: []int64{e}},
			safetensors.Entry{Name: h + "ln_2.weight", Shape: []int64{e}},
			safetensors.Entry{Name: h + "ln_2.bias", Shape: []int64{e}},
			safetensors.Entry{Name: h + "mlp.c_fc.weight", Shape: []int64{e, i}},
			safetensors.Entry{Name: h + "mlp.c_fc.bias", Shape: []int64{i}},
			safetensors.Entry{Name: h + "mlp.c_proj.weight", Shape: []int64{i, e}},
			safetensors.Entry{Name: h + "mlp.c_proj.bias", Shape: []int64{e}},
		)
	}
	return append(out, safetensors.Entry{Name: "ln_f.weight", Shape: []int64{e}}, safetensors.Entry{Name: "ln_f.bias", Shape: []int64{e}})
}

// Params returns the number of weights (tied LM head counted once).
func (c Config) Params() int64 {
	var n int64
	for _, t := range c.Tensors() {
		n += t.Elems()
	}
	return n
}

// Source supplies a model's weights, one tensor at a time.
type Source interface {
	// Fill writes the named tensor, of the given shape, into dst
	// (len(dst) is the shape's element count).
	Fill(name string, shape []int64, dst []float32) error
}

// Synthetic is a Source of seeded weights initialised as GPT-2 is:
// weights and embeddings normal(0, 0.02), residual projections (c_proj)
// normal(0, 0.02/sqrt(2·n_layer)), biases 0, LayerNorm scale 1 and shift 0.
// Each tensor draws from its own PCG stream (seed, tensor index), so the
// bytes depend only on the seed and the config.
type Synthetic struct {
	Config Config
	Seed   uint64
	index  map[string]uint64
}

// NewSynthetic returns the synthetic source for c and seed.
func NewSynthetic(c Config, seed uint64) *Synthetic {
	s := &Synthetic{Config: c, Seed: seed, index: map[string]uint64{}}
	for i, t := range c.Tensors() {
		s.index[t.Name] = uint64(i)
	}
	return s
}

// Fill implements Source.
func (s *Synthetic) Fill(name string, shape []int64, dst []float32) error {
	idx, ok := s.index[name]
	if !ok {
		return fmt.Errorf("synthetic weights: unknown tensor %q", name)
	}
	switch kind := suffix(name); kind {
	case "ln_1.weight", "ln_2.weight", "ln_f.weight":
		fill(dst, 1)
	case "bias":
		fill(dst, 0)
	default:
		std := 0.02
		if kind == "c_proj.weight" {
			std /= math.Sqrt(2 * float64(s.Config.NLayer))
		}
		r := rand.New(rand.NewPCG(s.Seed, idx))
		for i := range dst {
			dst[i] = float32(r.NormFloat64() * std)
		}
	}
	return nil
}

// suffix classifies a tensor name: LayerNorm scales by their own name,
// every bias as "bias", c_proj weights as "c_proj.weight".
func suffix(name string) string {
	switch {
	case hasSuffix(name, "ln_1.weight"), hasSuffix(name, "ln_2.weight"), name == "ln_f.weight":
		return name[len(name)-len("ln_1.weight"):]
	case hasSuffix(name, ".bias"):
		return "bias"
	case hasSuffix(name, "c_proj.weight"):
		return "c_proj.weight"
	}
	return "weight"
}

func hasSuffix(s, suf string) bool { return len(s) >= len(suf) && s[len(s)-len(suf):] == suf }

func fill(dst []float32, v float32) {
	for i := range dst {
		dst[i] = v
	}
}
