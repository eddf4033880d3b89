package gpt2

import (
	"fmt"
	"path/filepath"
	"slices"

	"github.com/tr119/tr119/models/safetensors"
)

// Checkpoint is a Source reading a local Hugging Face GPT-2 family
// checkpoint (config.json and model.safetensors). Tensors may be F32, F16
// or BF16 (converted to float32) and may carry the "transformer." prefix
// that GPT2LMHeadModel state dicts use.
type Checkpoint struct {
	Config Config
	file   *safetensors.File
}

// OpenCheckpoint opens the checkpoint in dir and checks that every tensor
// the config implies is present with the right shape. Close it when done.
func OpenCheckpoint(dir string) (*Checkpoint, error) {
	cfg, err := ReadConfig(dir)
	if err != nil {
		return nil, err
	}
	f, err := safetensors.Open(filepath.Join(dir, "model.safetensors"))
	if err != nil {
		return nil, fmt.Errorf("open checkpoint: %w", err)
	}
	ck := &Checkpoint{Config: cfg, file: f}
	for _, t := range cfg.Tensors() {
		info, err := ck.info(t.Name)
		if err == nil && !slices.Equal(info.Shape, t.Shape) {
			err = fmt.Errorf("%s: tensor %q has shape %v, want %v (from config.json)", f.Path(), info.Name, info.Shape, t.Shape)
		}
		if err != nil {
			f.Close()
			return nil, err
		}
	}
	return ck, nil
}

func (ck *Checkpoint) info(name string) (safetensors.Info, error) {
	for _, n := range []string{name, "transformer." + name} {
		if info, ok := ck.file.Info(n); ok {
			return info, nil
		}
	}
	return safetensors.Info{}, fmt.Errorf("%s: missing tensor %q", ck.file.Path(), name)
}

// Fill implements Source.
func (ck *Checkpoint) Fill(name string, shape []int64, dst []float32) error {
	info, err := ck.info(name)
	if err != nil {
		return err
	}
	if !slices.Equal(info.Shape, shape) {
		return fmt.Errorf("%s: tensor %q has shape %v, want %v", ck.file.Path(), info.Name, info.Shape, shape)
	}
	return ck.file.ReadFloat32s(info.Name, dst)
}

// Close closes the checkpoint's weights file.
func (ck *Checkpoint) Close() error { return ck.file.Close() }
