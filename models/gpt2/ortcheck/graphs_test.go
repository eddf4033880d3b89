package ortcheck

import (
	"math"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/tr119/tr119/models/gpt2"
)

// testSource gives every tensor random values, biases and LayerNorm
// shifts included (GPT-2's init zeroes them, which would hide a bias
// wired to the wrong place), at scales that make attention non-uniform.
type testSource struct{ seed uint64 }

func (s testSource) Fill(name string, shape []int64, dst []float32) error {
	r := rand.New(rand.NewPCG(s.seed, uint64(len(name))*1e9+uint64(name[len(name)-1])+uint64(len(dst))))
	base, std := 0.0, 0.15
	if strings.Contains(name, "ln_") && strings.HasSuffix(name, ".weight") {
		base, std = 1, 0.1
	}
	for i := range dst {
		dst[i] = float32(base + std*r.NormFloat64())
	}
	return nil
}

var (
	tinyOnce sync.Once
	tinyDir  string
	tinyErr  error
	tinyRef  *refModel
)

// tiny writes (once per process) a tiny-preset folder with testSource
// weights and loads its float64 reference.
func tiny(t *testing.T) (string, *refModel) {
	t.Helper()
	needORT(t)
	tinyOnce.Do(func() {
		cfg, _ := gpt2.Preset("tiny")
		tinyDir, tinyErr = osMkdirTemp()
		if tinyErr != nil {
			return
		}
		tinyErr = gpt2.WriteFolder(tinyDir, cfg, testSource{seed: 7}, gpt2.Provenance{Source: "test"})
		if tinyErr == nil {
			tinyRef = loadRef(t, tinyDir, cfg)
		}
	})
	if tinyErr != nil {
		t.Fatal(tinyErr)
	}
	return tinyDir, tinyRef
}

// batch is a left-padded batch of token rows.
type batch struct {
	ids, mask []int64
	rows, seq int
}

func leftPad(rows ...[]int64) batch {
	seq := 0
	for _, r := range rows {
		seq = max(seq, len(r))
	}
	b := batch{rows: len(rows), seq: seq}
	for _, r := range rows {
		pad := seq - len(r)
		for range pad {
			b.ids = append(b.ids, gpt2.GPT2EOS)
			b.mask = append(b.mask, 0)
		}
		for _, id := range r {
			b.ids = append(b.ids, id)
			b.mask = append(b.mask, 1)
		}
	}
	return b
}

func (b batch) row(i int) (ids, mask []int64) {
	return b.ids[i*b.seq : (i+1)*b.seq], b.mask[i*b.seq : (i+1)*b.seq]
}

func (b batch) shape() []int64 { return []int64{int64(b.rows), int64(b.seq)} }

var batches = []struct {
	name string
	b    batch
}{
	{"single", leftPad([]int64{464, 2068, 7586, 21831, 18045, 625, 262, 16931, 3290, 13})},
	{"left-padded-2", leftPad([]int64{1212, 318, 257, 1332}, []int64{17250})},
	{"left-padded-3", leftPad([]int64{15496, 11, 616, 1438, 318, 8436}, []int64{40, 588}, []int64{50256, 3, 99, 1000, 25000, 50000, 7, 8})},
}

func TestFullMatchesReference(t *testing.T) {
	dir, ref := tiny(t)
	s := openSession(t, filepath.Join(dir, "model.onnx"), []string{"input_ids", "attention_mask"}, []string{"logits"})
	v := ref.cfg.VocabSize
	for _, tt := range batches {
		t.Run(tt.name, func(t *testing.T) {
			b := tt.b
			out := s.run(t, [][]int64{b.ids, b.mask}, [][]int64{b.shape(), b.shape()}, nil)[0]
			if want := []int64{int64(b.rows), int64(b.seq), int64(v)}; !equalShape(out.shape, want) {
				t.Fatalf("logits shape %v, want %v", out.shape, want)
			}
			var worst float64
			for r := range b.rows {
				ids, mask := b.row(r)
				want := ref.forward(ids, mask, false)
				for i, w := range want {
					if w == nil {
						continue
					}
					got := out.data[(r*b.seq+i)*v : (r*b.seq+i+1)*v]
					worst = max(worst, maxDiff(got, w))
				}
			}
			t.Logf("max |onnx - float64 reference| = %.3g", worst)
			if worst > 1e-4 || math.IsNaN(worst) {
				t.Fatalf("max abs diff %.3g > 1e-4", worst)
			}
		})
	}
}

func TestLastMatchesFull(t *testing.T) {
	dir, ref := tiny(t)
	in := []string{"input_ids", "attention_mask"}
	full := openSession(t, filepath.Join(dir, "model.onnx"), in, []string{"logits"})
	last := openSession(t, filepath.Join(dir, "model_last.onnx"), in, []string{"logits"})
	v := ref.cfg.VocabSize
	for _, tt := range batches {
		b := tt.b
		shapes := [][]int64{b.shape(), b.shape()}
		f := full.run(t, [][]int64{b.ids, b.mask}, shapes, nil)[0]
		l := last.run(t, [][]int64{b.ids, b.mask}, shapes, nil)[0]
		if want := []int64{int64(b.rows), int64(v)}; !equalShape(l.shape, want) {
			t.Fatalf("%s: model_last logits shape %v, want %v", tt.name, l.shape, want)
		}
		for r := range b.rows {
			fl := f.data[(r*b.seq+b.seq-1)*v : (r*b.seq+b.seq)*v]
			if d := maxDiff32(l.data[r*v:(r+1)*v], fl); d > 1e-5 {
				t.Errorf("%s row %d: model_last differs from model.onnx's last position by %.3g", tt.name, r, d)
			}
		}
	}
}

func equalShape(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func maxDiff(got []float32, want []float64) float64 {
	var d float64
	for i, w := range want {
		d = max(d, math.Abs(float64(got[i])-w))
		if math.IsNaN(float64(got[i])) {
			return math.NaN()
		}
	}
	return d
}

func maxDiff32(a, b []float32) float64 {
	var d float64
	for i := range a {
		d = max(d, math.Abs(float64(a[i])-float64(b[i])))
	}
	return d
}
