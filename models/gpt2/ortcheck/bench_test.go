package ortcheck

import (
	"cmp"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	ort "github.com/yalue/onnxruntime_go"

	"github.com/tr119/tr119/models/gpt2"
)

// BenchmarkPrefillGPT2 times one model_last.onnx forward of the gpt2
// preset (or $TR119_BENCH_PRESET; batch 1 x 11 and 4 x 19, the report's short shapes) with two
// intra-op threads ($TR119_BENCH_THREADS), to compare the standard and
// fused graphs. Each folder is written once, untimed.
func BenchmarkPrefillGPT2(b *testing.B) {
	if noORT != "" {
		b.Skip(noORT)
	}
	preset := cmp.Or(os.Getenv("TR119_BENCH_PRESET"), "gpt2")
	cfg, err := gpt2.Preset(preset)
	if err != nil {
		b.Fatal(err)
	}
	for _, vr := range variants {
		dir := b.TempDir()
		if err := gpt2.WriteFolderOptions(dir, cfg, gpt2.NewSynthetic(cfg, 42), gpt2.Provenance{Source: "synthetic", Preset: preset, Seed: 42}, vr.opts); err != nil {
			b.Fatal(err)
		}
		for _, shape := range [][2]int64{{1, 11}, {4, 19}} {
			b.Run(vr.name+"/"+itoa64(shape[0])+"x"+itoa64(shape[1]), func(b *testing.B) {
				benchGraph(b, filepath.Join(dir, "model_last.onnx"), shape[0], shape[1])
			})
		}
	}
}

func benchGraph(b *testing.B, path string, rows, seq int64) {
	opts, err := ort.NewSessionOptions()
	if err != nil {
		b.Fatal(err)
	}
	defer opts.Destroy()
	threads := 2
	if n, err := strconv.Atoi(os.Getenv("TR119_BENCH_THREADS")); err == nil {
		threads = n
	}
	opts.SetIntraOpNumThreads(threads)
	opts.SetInterOpNumThreads(1)
	if os.Getenv("TR119_BENCH_OPT_OFF") != "" {
		opts.SetGraphOptimizationLevel(ort.GraphOptimizationLevelDisableAll)
	}
	s, err := ort.NewDynamicAdvancedSession(path, []string{"input_ids", "attention_mask"}, []string{"logits"}, opts)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Destroy()
	ids := make([]int64, rows*seq)
	mask := make([]int64, rows*seq)
	for i := range ids {
		ids[i] = int64(i*7919) % 50000
		mask[i] = 1
	}
	idT, _ := ort.NewTensor(ort.NewShape(rows, seq), ids)
	maskT, _ := ort.NewTensor(ort.NewShape(rows, seq), mask)
	out, _ := ort.NewEmptyTensor[float32](ort.NewShape(rows, 50257))
	defer idT.Destroy()
	defer maskT.Destroy()
	defer out.Destroy()
	for b.Loop() {
		if err := s.Run([]ort.Value{idT, maskT}, []ort.Value{out}); err != nil {
			b.Fatal(err)
		}
	}
}

func itoa64(v int64) string {
	if v < 10 {
		return string(rune('0' + v))
	}
	return itoa64(v/10) + string(rune('0'+v%10))
}
