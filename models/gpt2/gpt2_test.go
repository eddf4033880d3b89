package gpt2

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/tr119/tr119/internal/golden"
	"github.com/tr119/tr119/models/safetensors"
)

func TestPresets(t *testing.T) {
	tests := []struct {
		name   string
		params int64 // Hugging Face's parameter counts
	}{
		{"gpt2", 124_439_808},
		{"gpt2-medium", 354_823_168},
		{"gpt2-large", 774_030_080},
		{"gpt2-xl", 1_557_611_200},
		{"tiny", 50257*64 + 256*64 + 2*(2*64+64*192+192+64*64+64+2*64+64*256+256+256*64+64) + 2*64},
	}
	for _, tt := range tests {
		c, err := Preset(tt.name)
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Validate(); err != nil {
			t.Errorf("%s: %v", tt.name, err)
		}
		if got := c.Params(); got != tt.params {
			t.Errorf("%s: %d params, want %d", tt.name, got, tt.params)
		}
	}
	if _, err := Preset("gpt3"); err == nil || !strings.Contains(err.Error(), "gpt2-medium") {
		t.Errorf("unknown preset error = %v", err)
	}
}

func writeTiny(t *testing.T, seed uint64) string {
	t.Helper()
	cfg, _ := Preset("tiny")
	dir := t.TempDir()
	if err := WriteFolder(dir, cfg, NewSynthetic(cfg, seed), Provenance{Source: "synthetic", Preset: "tiny", Seed: seed}); err != nil {
		t.Fatal(err)
	}
	return dir
}

func folderFiles(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, e := range ents {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = b
	}
	return out
}

func TestWriteFolderDeterministic(t *testing.T) {
	a, b, c := folderFiles(t, writeTiny(t, 1)), folderFiles(t, writeTiny(t, 1)), folderFiles(t, writeTiny(t, 2))
	var names []string
	for n := range a {
		names = append(names, n)
	}
	sort.Strings(names)
	if want := "config.json decoder.onnx decoder_with_past.onnx model.onnx model.safetensors model_last.onnx"; strings.Join(names, " ") != want {
		t.Fatalf("folder holds %v, want %s", names, want)
	}
	for _, n := range names {
		if !bytes.Equal(a[n], b[n]) {
			t.Errorf("%s differs between two runs with the same seed", n)
		}
	}
	if bytes.Equal(a["model.safetensors"], c["model.safetensors"]) {
		t.Error("seeds 1 and 2 gave the same weights")
	}
	// Graphs hold no weights of their own: all of them together are far
	// smaller than the embedding matrix.
	for _, k := range GraphKinds {
		if n := len(a[k.File()]); n > 1<<20 {
			t.Errorf("%s is %d bytes: weights are duplicated into it", k.File(), n)
		}
	}
}

func TestSyntheticInit(t *testing.T) {
	cfg, _ := Preset("tiny")
	dir := writeTiny(t, 42)
	f, err := safetensors.Open(filepath.Join(dir, WeightsFile))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	std := func(name string) float64 {
		v, err := f.Float32s(name)
		if err != nil {
			t.Fatal(err)
		}
		var s float64
		for _, x := range v {
			s += float64(x) * float64(x)
		}
		return math.Sqrt(s / float64(len(v)))
	}
	tests := []struct {
		name string
		want float64
	}{
		{"wte.weight", 0.02},
		{"h.0.attn.c_attn.weight", 0.02},
		{"h.1.mlp.c_proj.weight", 0.02 / math.Sqrt(2*float64(cfg.NLayer))},
		{"h.0.attn.c_attn.bias", 0},
		{"ln_f.bias", 0},
		{"h.1.ln_2.weight", 1},
	}
	for _, tt := range tests {
		if got := std(tt.name); math.Abs(got-tt.want) > 0.05*tt.want+1e-9 {
			t.Errorf("%s: rms %.5f, want %.5f", tt.name, got, tt.want)
		}
	}
}

func TestConfigGolden(t *testing.T) {
	dir := writeTiny(t, 42)
	got, err := os.ReadFile(filepath.Join(dir, "config.json"))
	if err != nil {
		t.Fatal(err)
	}
	golden.Check(t, filepath.Join("testdata", "tiny-config.json"), got)
	c, err := ReadConfig(dir)
	if err != nil {
		t.Fatal(err)
	}
	if p, _ := Preset("tiny"); c != p {
		t.Errorf("ReadConfig = %+v, want %+v", c, p)
	}
}

// hfCheckpoint writes a Hugging Face-style checkpoint: config.json and a
// safetensors file of the given dtype, names prefixed with prefix, plus
// the extra tensors real checkpoints carry.
func hfCheckpoint(t *testing.T, cfg Config, dtype, prefix string, shapeOf func(string, []int64) []int64) string {
	t.Helper()
	dir := t.TempDir()
	hfCheckpointConfig(t, dir, cfg)
	hdr := map[string]any{}
	var data []byte
	add := func(name string, shape []int64) {
		n := int64(1)
		for _, d := range shape {
			n *= d
		}
		begin := len(data)
		for i := range n {
			// Values exactly representable in half and bfloat16.
			v := float32(i%7) - 3
			switch dtype {
			case "F16":
				data = binary.LittleEndian.AppendUint16(data, f32ToF16(v))
			case "BF16":
				data = binary.LittleEndian.AppendUint16(data, uint16(math.Float32bits(v)>>16))
			default:
				data = binary.LittleEndian.AppendUint32(data, math.Float32bits(v))
			}
		}
		hdr[name] = map[string]any{"dtype": dtype, "shape": shape, "data_offsets": []int{begin, len(data)}}
	}
	for _, e := range cfg.Tensors() {
		add(prefix+e.Name, shapeOf(e.Name, e.Shape))
	}
	add("h.0.attn.bias", []int64{1, 1, 4, 4})
	js, _ := json.Marshal(hdr)
	var file []byte
	file = binary.LittleEndian.AppendUint64(file, uint64(len(js)))
	file = append(append(file, js...), data...)
	if err := os.WriteFile(filepath.Join(dir, "model.safetensors"), file, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func hfCheckpointConfig(t *testing.T, dir string, cfg Config) {
	t.Helper()
	cj := fmt.Sprintf(`{"model_type":"gpt2","n_layer":%d,"n_head":%d,"n_embd":%d,"n_positions":%d,"vocab_size":%d,"n_inner":null,"layer_norm_epsilon":1e-05,"activation_function":"gelu_new"}`,
		cfg.NLayer, cfg.NHead, cfg.NEmbd, cfg.NPositions, cfg.VocabSize)
	if err := os.WriteFile(filepath.Join(dir, "config.json"), []byte(cj), 0o644); err != nil {
		t.Fatal(err)
	}
}

// f32ToF16 converts small integers exactly.
func f32ToF16(v float32) uint16 {
	if v == 0 {
		return 0
	}
	bits := math.Float32bits(v)
	sign := uint16(bits>>16) & 0x8000
	exp := int((bits>>23)&0xff) - 127 + 15
	mant := uint16((bits >> 13) & 0x3ff)
	return sign | uint16(exp)<<10 | mant
}

var smallCfg = Config{NLayer: 1, NHead: 2, NEmbd: 8, NInner: 32, VocabSize: 11, NPositions: 16, LayerNormEps: 1e-5, BOS: GPT2EOS, EOS: GPT2EOS}

func sameShape(_ string, s []int64) []int64 { return s }

func TestCheckpoint(t *testing.T) {
	for _, tt := range []struct{ dtype, prefix string }{{"F32", ""}, {"F16", "transformer."}, {"BF16", ""}} {
		t.Run(tt.dtype+"/"+tt.prefix, func(t *testing.T) {
			src := hfCheckpoint(t, smallCfg, tt.dtype, tt.prefix, sameShape)
			ck, err := OpenCheckpoint(src)
			if err != nil {
				t.Fatal(err)
			}
			defer ck.Close()
			if ck.Config != smallCfg {
				t.Fatalf("config %+v, want %+v", ck.Config, smallCfg)
			}
			out := t.TempDir()
			if err := WriteFolder(out, ck.Config, ck, Provenance{Source: "huggingface"}); err != nil {
				t.Fatal(err)
			}
			f, err := safetensors.Open(filepath.Join(out, WeightsFile))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			v, err := f.Float32s("h.0.mlp.c_fc.weight")
			if err != nil {
				t.Fatal(err)
			}
			for i, x := range v {
				if want := float32(i%7) - 3; x != want {
					t.Fatalf("element %d = %v, want %v", i, x, want)
				}
			}
		})
	}
}

func TestCheckpointErrors(t *testing.T) {
	good := func(t *testing.T) string { return hfCheckpoint(t, smallCfg, "F32", "", sameShape) }
	tests := []struct {
		name  string
		setup func(t *testing.T) string
		want  string
	}{
		{"missing config", func(t *testing.T) string {
			d := good(t)
			os.Remove(filepath.Join(d, "config.json"))
			return d
		}, "config.json: no such file"},
		{"missing weights", func(t *testing.T) string {
			d := good(t)
			os.Remove(filepath.Join(d, "model.safetensors"))
			return d
		}, "model.safetensors: no such file"},
		{"not gpt2", func(t *testing.T) string {
			d := good(t)
			os.WriteFile(filepath.Join(d, "config.json"), []byte(`{"model_type":"llama","n_layer":1}`), 0o644)
			return d
		}, `unsupported architecture: model_type "llama"`},
		{"bad shape", func(t *testing.T) string {
			return hfCheckpoint(t, smallCfg, "F32", "", func(n string, s []int64) []int64 {
				if n == "h.0.attn.c_proj.weight" {
					return []int64{8, 9}
				}
				return s
			})
		}, `tensor "h.0.attn.c_proj.weight" has shape [8 9], want [8 8]`},
		{"invalid config", func(t *testing.T) string {
			return hfCheckpoint(t, Config{NLayer: 0, NHead: 2, NEmbd: 8, NInner: 32, VocabSize: 11, NPositions: 16}, "F32", "", sameShape)
		}, "n_layer, n_head"},
		{"missing tensor", func(t *testing.T) string {
			d := good(t)
			two := smallCfg
			two.NLayer = 2
			hfCheckpointConfig(t, d, two)
			return d
		}, `missing tensor "h.1.ln_1.weight"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ck, err := OpenCheckpoint(tt.setup(t))
			if err == nil {
				ck.Close()
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}
