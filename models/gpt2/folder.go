package gpt2

import (
	"fmt"
	"io"
	"path/filepath"

	"github.com/tr119/tr119/artifacts"
	"github.com/tr119/tr119/models/safetensors"
)

// WeightsFile is the model folder's weights file. The graphs reference it
// as ONNX external data at byte offsets, so the folder holds one copy of
// the weights.
const WeightsFile = "model.safetensors"

// WriteFolder writes a complete model folder into dir (which must exist):
// model.safetensors with src's weights, config.json recording prov, and
// the four graphs. Tensors stream through one buffer, the size of the
// largest tensor. Output depends only on cfg, src's weights and prov.
func WriteFolder(dir string, cfg Config, src Source, prov Provenance) error {
	return WriteFolderOptions(dir, cfg, src, prov, Options{})
}

// WriteFolderOptions is WriteFolder with graph options.
func WriteFolderOptions(dir string, cfg Config, src Source, prov Provenance, opts Options) error {
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("write model folder: %w", err)
	}
	entries := cfg.Tensors()
	var largest int64
	for _, e := range entries {
		largest = max(largest, e.Elems())
	}
	buf := make([]float32, largest)
	var layout safetensors.Layout
	err := artifacts.WriteAtomicFunc(filepath.Join(dir, WeightsFile), func(w io.Writer) error {
		sw, err := safetensors.NewWriter(w, entries, map[string]string{"format": "pt"})
		if err != nil {
			return err
		}
		for _, e := range entries {
			data := buf[:e.Elems()]
			if err := src.Fill(e.Name, e.Shape, data); err != nil {
				return fmt.Errorf("weights: %w", err)
			}
			if err := sw.Write(e.Name, data); err != nil {
				return err
			}
		}
		layout = sw.Layout()
		return sw.Close()
	})
	if err != nil {
		return fmt.Errorf("write model folder: %w", err)
	}
	prov.Fused = opts.Fused
	cj, err := marshalConfig(cfg, prov)
	if err != nil {
		return fmt.Errorf("write model folder: %w", err)
	}
	err = artifacts.WriteAtomicFunc(filepath.Join(dir, "config.json"), func(w io.Writer) error {
		_, err := w.Write(cj)
		return err
	})
	if err != nil {
		return fmt.Errorf("write model folder: %w", err)
	}
	for _, k := range GraphKinds {
		m, err := BuildGraph(cfg, k, WeightsFile, layout, opts)
		if err != nil {
			return fmt.Errorf("write model folder: %w", err)
		}
		if err := m.WriteFile(filepath.Join(dir, k.File())); err != nil {
			return fmt.Errorf("write model folder: %w", err)
		}
	}
	return nil
}
