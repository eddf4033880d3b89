package model

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/zclconf/go-cty/cty"

	"github.com/tr119/tr119/engine"
	"github.com/tr119/tr119/models/gpt2"
	"github.com/tr119/tr119/schema"
)

// Version is the kind's implementation version: bump it whenever the same
// attributes would give other bytes (weights, config.json or graphs).
// 2: one output per model format (hf, onnx) instead of one folder.
const Version = "2"

// workDir is where the whole folder is written inside the run's OutDir,
// before each format's output is assembled from it by hard links.
const workDir = "model"

// Format is one output of the stage: the files of the model folder one
// kind of reader needs (docs/model-folder.md). A benchmark names the
// output its backend reads, so its key covers only those files: adding a
// format never changes an existing benchmark's key.
type Format struct {
	// Name is the output's name.
	Name string
	// Files are the folder's files in the output.
	Files []string
	// Doc says what the output is for.
	Doc string
}

// DefaultFormats are the stage's outputs.
func DefaultFormats() []Format { return append([]Format(nil), defaultFormats...) }

var defaultFormats = []Format{
	{Name: "hf", Files: []string{"config.json", gpt2.WeightsFile},
		Doc: "Hugging Face folder: config.json + model.safetensors (what transformers' from_pretrained and the torch backend read)."},
	{Name: "onnx", Files: []string{"config.json", gpt2.WeightsFile, "model.onnx", "model_last.onnx", "decoder.onnx", "decoder_with_past.onnx"},
		Doc: "ONNX folder: the four graphs (standard, or ONNX Runtime's fused operators with fused = true) with config.json and the model.safetensors their external data points into (what the onnxruntime backend reads)."},
}

// Kind is the model stage kind.
type Kind struct {
	formats []Format
	version string
}

// New returns the model stage kind with DefaultFormats.
func New() engine.Kind { return Kind{formats: defaultFormats, version: Version} }

// NewFormats returns the kind with other outputs (tests: a format added
// later). Its version names them, as a real addition bumps Version.
func NewFormats(fs []Format) engine.Kind {
	v := Version
	for _, f := range fs[len(defaultFormats):] {
		v += "+" + f.Name
	}
	return Kind{formats: fs, version: v}
}

// Info implements engine.Kind.
func (k Kind) Info() engine.KindInfo {
	return engine.KindInfo{
		Name: "model", Version: k.version, Deterministic: true,
		Doc: "Writes a GPT-2 family model folder: seeded synthetic weights at a preset (tiny, gpt2, gpt2-medium, " +
			"gpt2-large, gpt2-xl), or a local Hugging Face checkpoint (source = \"huggingface\", dir = ...), " +
			"with config.json, model.safetensors and the ONNX graphs of docs/model-folder.md " +
			"(fused = true: ONNX Runtime's fused attention, GELU and skip-LayerNorm operators).",
		Outputs: outputInfos(k.formats),
	}
}

func outputInfos(fs []Format) []engine.OutputInfo {
	var out []engine.OutputInfo
	for _, f := range fs {
		out = append(out, engine.OutputInfo{Name: f.Name, MediaType: "inode/directory", Dir: true, Doc: f.Doc})
	}
	return out
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
func (k Kind) Run(ctx context.Context, r *engine.Run) (*engine.Result, error) {
	c, err := decode(r.Config)
	if err != nil {
		return nil, err
	}
	out := filepath.Join(r.OutDir, workDir)
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, fmt.Errorf("model: %w", err)
	}
	r.Progress.Report(0, 0, "writing "+describe(c))
	if err := write(ctx, out, r.Workspace, c, r.Progress); err != nil {
		return nil, fmt.Errorf("model: %w", err)
	}
	res := &engine.Result{Outputs: map[string]string{}}
	for _, f := range k.formats {
		if err := assemble(out, filepath.Join(r.OutDir, f.Name), f.Files); err != nil {
			return nil, fmt.Errorf("model: output %s: %w", f.Name, err)
		}
		res.Outputs[f.Name] = f.Name
	}
	r.Log.Info("model folder written", "from", describe(c), "fused", c.Fused)
	return res, nil
}

// assemble makes dst hold files of src, as hard links (copies where
// links are refused): the weights are written once.
func assemble(src, dst string, files []string) error {
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return err
	}
	for _, f := range files {
		from, to := filepath.Join(src, f), filepath.Join(dst, f)
		if err := os.Link(from, to); err == nil {
			continue
		}
		if err := copyFile(from, to); err != nil {
			return err
		}
	}
	return nil
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
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
