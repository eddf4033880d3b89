package ortcheck

import (
	"math"
	"strconv"
	"testing"

	"github.com/tr119/tr119/models/gpt2"
	"github.com/tr119/tr119/models/safetensors"
)

// refModel is GPT-2 in float64, written from the architecture's
// definition and sharing nothing with the graph builder but the weights.
type refModel struct {
	cfg gpt2.Config
	w   map[string][]float64
}

func loadRef(t *testing.T, dir string, cfg gpt2.Config) *refModel {
	t.Helper()
	f, err := safetensors.Open(dir + "/model.safetensors")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m := &refModel{cfg: cfg, w: map[string][]float64{}}
	for _, name := range f.Names() {
		v, err := f.Float32s(name)
		if err != nil {
			t.Fatal(err)
		}
		d := make([]float64, len(v))
		for i, x := range v {
			d[i] = float64(x)
		}
		m.w[name] = d
	}
	return m
}

// forward returns the logits [seq][vocab] of one row; rows where mask is
// 0 are left nil (padding has no meaningful output), and so are all but
// the last when lastOnly is set.
func (m *refModel) forward(ids, mask []int64, lastOnly bool) [][]float64 {
	c := m.cfg
	e, nh, hd := c.NEmbd, c.NHead, c.HeadDim()
	s := len(ids)
	h := make([][]float64, s)
	pos := 0
	for i := range s {
		p := 0
		if mask[i] == 1 {
			p = pos
			pos++
		}
		h[i] = make([]float64, e)
		for j := range e {
			h[i][j] = m.w["wte.weight"][int(ids[i])*e+j] + m.w["wpe.weight"][p*e+j]
		}
	}
	for l := range c.NLayer {
		pre := "h." + strconv.Itoa(l) + "."
		qkv := make([][]float64, s)
		for i := range s {
			qkv[i] = m.linear(m.norm(h[i], pre+"ln_1"), pre+"attn.c_attn")
		}
		for i := range s {
			if mask[i] == 0 {
				continue
			}
			ctx := make([]float64, e)
			for hh := range nh {
				off := hh * hd
				var scores []float64
				var keys []int
				for j := 0; j <= i; j++ {
					if mask[j] == 0 {
						continue
					}
					var dot float64
					for d := range hd {
						dot += qkv[i][off+d] * qkv[j][e+off+d]
					}
					scores = append(scores, dot/math.Sqrt(float64(hd)))
					keys = append(keys, j)
				}
				softmax(scores)
				for k, j := range keys {
					for d := range hd {
						ctx[off+d] += scores[k] * qkv[j][2*e+off+d]
					}
				}
			}
			add(h[i], m.linear(ctx, pre+"attn.c_proj"))
		}
		for i := range s {
			if mask[i] == 0 {
				continue
			}
			a := m.linear(m.norm(h[i], pre+"ln_2"), pre+"mlp.c_fc")
			for k, x := range a {
				a[k] = 0.5 * x * (1 + math.Tanh(math.Sqrt(2/math.Pi)*(x+0.044715*x*x*x)))
			}
			add(h[i], m.linear(a, pre+"mlp.c_proj"))
		}
	}
	out := make([][]float64, s)
	wte := m.w["wte.weight"]
	for i := range s {
		if mask[i] == 0 || (lastOnly && i != s-1) {
			continue
		}
		x := m.norm(h[i], "ln_f")
		out[i] = make([]float64, c.VocabSize)
		for v := range c.VocabSize {
			var dot float64
			for j := range e {
				dot += x[j] * wte[v*e+j]
			}
			out[i][v] = dot
		}
	}
	return out
}

func (m *refModel) norm(x []float64, prefix string) []float64 {
	var mean, vr float64
	for _, v := range x {
		mean += v
	}
	mean /= float64(len(x))
	for _, v := range x {
		vr += (v - mean) * (v - mean)
	}
	vr /= float64(len(x))
	inv := 1 / math.Sqrt(vr+m.cfg.LayerNormEps)
	g, b := m.w[prefix+".weight"], m.w[prefix+".bias"]
	out := make([]float64, len(x))
	for i, v := range x {
		out[i] = (v-mean)*inv*g[i] + b[i]
	}
	return out
}

// linear is Conv1D: x·W + b with W [in, out].
func (m *refModel) linear(x []float64, prefix string) []float64 {
	w, b := m.w[prefix+".weight"], m.w[prefix+".bias"]
	n := len(b)
	out := append([]float64(nil), b...)
	for i, xv := range x {
		row := w[i*n : (i+1)*n]
		for j, wv := range row {
			out[j] += xv * wv
		}
	}
	return out
}

func softmax(x []float64) {
	mx := math.Inf(-1)
	for _, v := range x {
		mx = max(mx, v)
	}
	var sum float64
	for i, v := range x {
		x[i] = math.Exp(v - mx)
		sum += x[i]
	}
	for i := range x {
		x[i] /= sum
	}
}

func add(dst, x []float64) {
	for i := range dst {
		dst[i] += x[i]
	}
}

func TestReferenceSoftmax(t *testing.T) {
	x := []float64{1, 2, 3}
	softmax(x)
	if math.Abs(x[0]+x[1]+x[2]-1) > 1e-12 || !(x[0] < x[1] && x[1] < x[2]) {
		t.Fatalf("softmax = %v", x)
	}
}
