package modelfolder

import (
	"os"
	"path/filepath"

	"github.com/tr119/tr119/models/gpt2"
)

// Ensure leaves dir as it is when it holds a config.json; otherwise, with
// a preset, it writes that preset's synthetic weights (seed 42) there.
// Without a preset a folder lacking config.json is an error.
func Ensure(dir, preset string) error {
	if _, err := os.Stat(filepath.Join(dir, "config.json")); err == nil || preset == "" {
		return err
	}
	cfg, err := gpt2.Preset(preset)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return gpt2.WriteFolder(dir, cfg, gpt2.NewSynthetic(cfg, 42), gpt2.Provenance{Source: "synthetic", Preset: preset, Seed: 42})
}
