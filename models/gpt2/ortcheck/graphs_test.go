package ortcheck

import (
	"math"
	"math/rand/v2"
	"os"
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

// folder is a tiny-preset model folder written once per process.
type folder struct {
	once sync.Once
	dir  string
	err  error
	ref  *refModel
}

// variants are the graph variants every ONNX Runtime test checks.
var variants = []struct {
	name string
	opts gpt2.Options
}{{"standard", gpt2.Options{}}, {"fused", gpt2.Options{Fused: true}}}

var folders = map[bool]*folder{false: {}, true: {}}

// tiny writes (once per process and variant) a tiny-preset folder with
// testSource weights and loads its float64 reference.
func tiny(t *testing.T, opts gpt2.Options) (string, *refModel) {
	t.Helper()
	needORT(t)
	f := folders[opts.Fused]
	f.once.Do(func() {
		cfg, _ := gpt2.Preset("tiny")
		f.dir, f.err = os.MkdirTemp("", "tr119-ortcheck-")
		if f.err != nil {
			return
		}
		f.err = gpt2.WriteFolderOptions(f.dir, cfg, testSource{seed: 7}, gpt2.Provenance{Source: "test"}, opts)
		if f.err == nil {
			f.ref = loadRef(t, f.dir, cfg)
		}
	})
	if f.err != nil {
		t.Fatal(f.err)
	}
	return f.dir, f.ref
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
	for _, vr := range variants {
		for _, tt := range batches {
			t.Run(vr.name+"/"+tt.name, func(t *testing.T) {
				testFullMatchesReference(t, vr.opts, tt.b)
			})
		}
	}
}

func testFullMatchesReference(t *testing.T, opts gpt2.Options, b batch) {
	dir, ref := tiny(t, opts)
	s := openSession(t, filepath.Join(dir, "model.onnx"), []string{"input_ids", "attention_mask"}, []string{"logits"})
	v := ref.cfg.VocabSize
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
}

func TestLastMatchesFull(t *testing.T) {
	for _, vr := range variants {
		t.Run(vr.name, func(t *testing.T) { testLastMatchesFull(t, vr.opts) })
	}
}

func testLastMatchesFull(t *testing.T, opts gpt2.Options) {
	dir, ref := tiny(t, opts)
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
