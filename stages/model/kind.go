package model

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/zclconf/go-cty/cty"

	"github.com/tr119/tr119/engine"
	"github.com/tr119/tr119/models/gpt2"
	"github.com/tr119/tr119/schema"
)

// Version is the kind's implementation version: bump it whenever the same
// attributes would give other bytes (weights, config.json or graphs).
const Version = "1"

// outDir is the output folder's name inside the run's OutDir.
const outDir = "model"

// Kind is the model stage kind.
type Kind struct{}

// New returns the model stage kind.
func New() engine.Kind { return Kind{} }

// Info implements engine.Kind.
func (Kind) Info() engine.KindInfo {
	return engine.KindInfo{
		Name: "model", Version: Version, Deterministic: true,
		Doc: "Writes a GPT-2 family model folder: seeded synthetic weights at a preset (tiny, gpt2, gpt2-medium, " +
			"gpt2-large, gpt2-xl), or a local Hugging Face checkpoint (source = \"huggingface\", dir = ...), " +
			"with config.json, model.safetensors and the ONNX graphs of docs/model-folder.md " +
			"(fused = true: ONNX Runtime's fused attention, GELU and skip-LayerNorm operators).",
		Outputs: []engine.OutputInfo{{
			Name: "dir", MediaType: "inode/directory", Dir: true,
			Doc: "the model folder: config.json, model.safetensors, model.onnx, model_last.onnx, decoder.onnx, decoder_with_past.onnx (docs/model-folder.md).",
		}},
	}
}

// Schema implements engine.Kind.
func (Kind) Schema() *schema.Body { return bodySchema() }

// FileInputs implements engine.FileInputer: a checkpoint folder is an
// input, so changing its files re-runs the stage.
func (Kind) FileInputs(v cty.Value) ([]string, error) {
	c, err := decode(v)
	if err != nil {
		return nil, err
	}
	if c.Source != "huggingface" {
		return nil, nil
	}
	return []string{c.Dir}, nil
}

// Run implements engine.Kind.
func (Kind) Run(ctx context.Context, r *engine.Run) (*engine.Result, error) {
	c, err := decode(r.Config)
	if err != nil {
		return nil, err
	}
	out := filepath.Join(r.OutDir, outDir)
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, fmt.Errorf("model: %w", err)
	}
	r.Progress.Report(0, 0, "writing "+describe(c))
	if err := write(ctx, out, r.Workspace, c, r.Progress); err != nil {
		return nil, fmt.Errorf("model: %w", err)
	}
	r.Log.Info("model folder written", "from", describe(c), "fused", c.Fused)
	return &engine.Result{Outputs: map[string]string{"dir": outDir}}, nil
}

func describe(c config) string {
	if c.Source == "huggingface" {
		return "checkpoint " + c.Dir
	}
	return fmt.Sprintf("preset %s seed %d", c.Preset, c.Seed)
}

// write fills out with the model folder c describes.
func write(ctx context.Context, out, workspace string, c config, p engine.Progress) error {
	opts := gpt2.Options{Fused: c.Fused}
	if c.Source == "huggingface" {
		ck, err := gpt2.OpenCheckpoint(checkpointDir(workspace, c.Dir))
		if err != nil {
			return err
		}
		defer ck.Close()
		src := newProgressSource(ctx, ck, ck.Config, p)
		return gpt2.WriteFolderOptions(out, ck.Config, src, gpt2.Provenance{Source: c.Source}, opts)
	}
	cfg, err := gpt2.Preset(c.Preset)
	if err != nil {
		return fmt.Errorf("preset: %w", err)
	}
	src := newProgressSource(ctx, gpt2.NewSynthetic(cfg, c.Seed), cfg, p)
	return gpt2.WriteFolderOptions(out, cfg, src, gpt2.Provenance{Source: c.Source, Preset: c.Preset, Seed: c.Seed}, opts)
}
