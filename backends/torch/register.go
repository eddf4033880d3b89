package torch

import (
	"fmt"
	"os/exec"
	"path/filepath"

	"github.com/zclconf/go-cty/cty"

	"github.com/tr119/tr119/backends"
	"github.com/tr119/tr119/schema"
)

// Declared runtime defaults: the versions the report's GPU machine has.
// A pipeline on another machine declares its own (Debian 12's
// python3-torch is torch_version = "1.13.0").
const (
	PinnedTorch        = "2.11.0"
	PinnedTransformers = "5.17.0"
)

// PythonSetting is the tool setting naming the worker's interpreter.
const PythonSetting = "torch_python"

// Registration is the PyTorch plug-in of the benchmark stage: the
// `torch { ... }` block, read from the model stage's `hf` output
// (config.json + model.safetensors).
func Registration() backends.Registration {
	return backends.Registration{
		Name:   "torch",
		Doc:    "PyTorch in a Python worker: Hugging Face transformers (eager or torch.compile) or tr119-gpt2 (plain torch), CPU or CUDA.",
		Format: "hf",
		Files:  []string{"config.json", "model.safetensors"},
		Schema: blockSchema(),
		Check: func(block cty.Value, device string) error {
			c, ok1 := schema.Known(block, "compile")
			i, ok2 := schema.Known(block, "implementation")
			if ok1 && ok2 && c.True() && i.AsString() != Transformers {
				return fmt.Errorf("torch.compile = true needs implementation = %q (tr119-gpt2 runs eagerly)", Transformers)
			}
			return nil
		},
		Settings: map[string]string{PythonSetting: "the torch worker's Python interpreter (default python3 on PATH; Debian's python3-torch is importable from /usr/bin/python3)"},
		New:      newBackend,
		Fingerprint: func(f backends.FingerprintRequest) map[string]string {
			py := f.Settings[PythonSetting]
			if py == "" {
				py = "python3"
			}
			p, err := exec.LookPath(py)
			if err != nil {
				return nil
			}
			if p, err = filepath.EvalSymlinks(p); err != nil {
				return nil
			}
			sha, err := f.Hash(p)
			if err != nil {
				return nil
			}
			return map[string]string{"python_sha256": sha}
		},
	}
}

// block is the decoded `torch { ... }` block.
type block struct {
	TorchVersion        string `cty:"torch_version"`
	TransformersVersion string `cty:"transformers_version"`
	Implementation      string `cty:"implementation"`
	DType               string `cty:"dtype"`
	Threads             int    `cty:"threads"`
	InteropThreads      int    `cty:"interop_threads"`
	Compile             bool   `cty:"compile"`
	CompileMode         string `cty:"compile_mode"`
	Dynamic             string `cty:"dynamic"`
	AttnImplementation  string `cty:"attn_implementation"`
	MatmulPrecision     string `cty:"matmul_precision"`
	TF32                string `cty:"tf32"`
	MaxRestarts         int    `cty:"max_restarts"`
}

// newBackend configures the backend from a decoded block.
func newBackend(c backends.Config) (backends.Backend, error) {
	b := blockSchema()
	v := c.Block
	if v.IsNull() {
		v = cty.EmptyObjectVal
	}
	v = b.WithDefaults(b.FillAbsent(v))
	if errs := b.Validate(v); len(errs) > 0 {
		return nil, fmt.Errorf("torch.%w", errs[0])
	}
	var x block
	if err := b.Decode(v, &x); err != nil {
		return nil, fmt.Errorf("torch: %w", err)
	}
	cfg := Config{Python: c.Settings[PythonSetting], Implementation: x.Implementation, Device: c.Device,
		TorchVersion: x.TorchVersion, TransformersVersion: x.TransformersVersion, DType: x.DType,
		Threads: x.Threads, InteropThreads: x.InteropThreads, Compile: x.Compile, Dynamic: x.Dynamic,
		AttnImplementation: x.AttnImplementation, MatmulPrecision: x.MatmulPrecision, TF32: x.TF32,
		MaxRestarts: x.MaxRestarts}
	if x.Compile {
		cfg.CompileMode = x.CompileMode
	}
	if cfg.MaxRestarts == 0 {
		cfg.MaxRestarts = -1 // the block's 0 means none
	}
	if c.Log != nil {
		cfg.Stderr = logWriter{c.Log}
	}
	return New(cfg)
}

// blockSchema is the `torch { ... }` block.
func blockSchema() *schema.Body {
	str := func(name, def, doc string, oneOf ...string) *schema.Attr {
		return &schema.Attr{Name: name, Type: cty.String, Default: cty.StringVal(def), SpecDefault: true, Doc: doc, OneOf: oneOf}
	}
	num := func(name string, max float64, def int64, doc string) *schema.Attr {
		return &schema.Attr{Name: name, Type: cty.Number, Default: cty.NumberIntVal(def), SpecDefault: true, Integer: true,
			Min: schema.Float(0), Max: schema.Float(max), Doc: doc}
	}
	declared := func(a *schema.Attr) *schema.Attr {
		a.Check = func(v cty.Value) error {
			if v.AsString() == "" {
				return fmt.Errorf("declare the version (e.g. %s)", a.Default.AsString())
			}
			return nil
		}
		return a
	}
	return &schema.Body{Attrs: []*schema.Attr{
		declared(str("torch_version", PinnedTorch, "declared torch version (in the key): the worker's torch must report it (a suffix such as +cu130 or a0 is allowed), else the stage fails before measuring")),
		declared(str("transformers_version", PinnedTransformers, "declared transformers version (in the key), checked like torch_version when implementation is transformers")),
		str("implementation", Transformers, "transformers (GPT2LMHeadModel) or tr119-gpt2 (a GPT-2 in plain torch; no transformers, no compile); never swapped", Transformers, TR119GPT2),
		str("dtype", "float32", "weights and activations dtype", "float32", "float16", "bfloat16"),
		num("threads", 1024, 0, "torch.set_num_threads (0: torch's default)"),
		num("interop_threads", 1024, 0, "torch.set_num_interop_threads (0: torch's default)"),
		{Name: "compile", Type: cty.Bool, Default: cty.False, SpecDefault: true, Doc: "torch.compile the model's forward (transformers only; decode then uses a static KV cache)"},
		str("compile_mode", "default", "torch.compile mode (with compile = true)", "default", "reduce-overhead", "max-autotune"),
		str("dynamic", "auto", "torch.compile dynamic shapes: auto (torch marks a dimension dynamic after it changes), true or false", "auto", "true", "false"),
		str("attn_implementation", "", `passed to from_pretrained ("": transformers' default; e.g. "eager", "sdpa")`),
		str("matmul_precision", "", `torch.set_float32_matmul_precision ("": torch's default, highest)`, "", "highest", "high", "medium"),
		str("tf32", "", `CUDA and cuDNN TF32 ("": torch's defaults)`, "", "true", "false"),
		num("max_restarts", 100, 2, "how many times a worker that died is replaced before calls fail"),
	}}
}
