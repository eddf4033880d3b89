package gpt2

import (
	"testing"
)

// BenchmarkWriteFolderGPT2 measures generating the gpt2 (124M) preset:
// the target is < 15 s and < 3 GiB on the 2-core CI machine. Run with
// -benchtime=1x -benchmem; peak RSS is reported as max-rss-MiB.
func BenchmarkWriteFolderGPT2(b *testing.B) {
	cfg, err := Preset("gpt2")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		dir := b.TempDir()
		if err := WriteFolder(dir, cfg, NewSynthetic(cfg, 42), Provenance{Source: "synthetic", Preset: "gpt2", Seed: 42}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(maxRSS())/(1<<20), "max-rss-MiB")
}
