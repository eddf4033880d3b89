package gpt2

import (
	"cmp"
	"os"
	"testing"
)

// BenchmarkWriteFolderGPT2 measures generating the gpt2 (124M) preset
// (or $TR119_BENCH_PRESET): the target is < 15 s and < 3 GiB on the
// 2-core CI machine. Run with -benchtime=1x; peak RSS is reported as
// max-rss-MiB.
func BenchmarkWriteFolderGPT2(b *testing.B) {
	preset := cmp.Or(os.Getenv("TR119_BENCH_PRESET"), "gpt2")
	cfg, err := Preset(preset)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		dir := b.TempDir()
		if err := WriteFolder(dir, cfg, NewSynthetic(cfg, 42), Provenance{Source: "synthetic", Preset: preset, Seed: 42}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(maxRSS())/(1<<20), "max-rss-MiB")
}
