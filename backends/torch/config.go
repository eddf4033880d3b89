package torch

import (
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Implementations a Config may declare.
const (
	// Transformers loads the folder with Hugging Face transformers'
	// GPT2LMHeadModel.
	Transformers = "transformers"
	// TR119GPT2 is a small GPT-2 written in plain torch over the same
	// weights (no transformers, no torch.compile; torch 1.13 suffices).
	TR119GPT2 = "tr119-gpt2"
)

// Config is the torch backend's settings. The zero value of every field
// but Device is a usable default (see Normalize).
type Config struct {
	// Python is the interpreter that runs the worker (default "python3").
	// A location: recorded in the environment, not part of any key.
	Python string
	// Implementation is "transformers" (default) or "tr119-gpt2"; it is
	// declared and never swapped for another.
	Implementation string
	// TorchVersion and TransformersVersion are the declared runtime: the
	// worker's torch (and, for transformers, transformers) must report
	// them, else Open fails with backends.ErrRuntimeMismatch. A declared
	// "2.11.0" matches "2.11.0+cu130" and "1.13.0" matches "1.13.0a0"
	// (the next character is not a digit). Empty: not checked.
	TorchVersion, TransformersVersion string
	// Device is "cpu", "cuda" (cuda:0) or "cuda:N".
	Device string
	// DType is "float32" (default), "float16" or "bfloat16".
	DType string
	// Threads and InteropThreads size torch's thread pools; 0 keeps
	// torch's default.
	Threads, InteropThreads int
	// Compile wraps the model's forward in torch.compile (transformers
	// only), with CompileMode "default", "reduce-overhead" or
	// "max-autotune" and Dynamic "auto" (torch's automatic dynamic
	// shapes), "true" or "false".
	Compile     bool
	CompileMode string
	Dynamic     string
	// AttnImplementation is passed to from_pretrained ("" keeps
	// transformers' default; e.g. "eager", "sdpa").
	AttnImplementation string
	// MatmulPrecision is torch.set_float32_matmul_precision's argument
	// ("" keeps torch's: "highest"); TF32 "true"/"false" sets CUDA and
	// cuDNN TF32 ("" keeps torch's).
	MatmulPrecision string
	TF32            string
	// Env holds extra NAME=value entries for the worker's environment.
	Env []string
	// MaxRestarts is how many times a dead worker is replaced before
	// calls fail (default 2; negative: never).
	MaxRestarts int
	// Stderr, when set, receives the worker's stderr as it is written
	// (its tail is kept for error messages either way).
	Stderr io.Writer
}

var cudaRE = regexp.MustCompile(`^cuda(:[0-9]+)?$`)

// Normalize fills defaults and checks every field, naming the field in
// its error.
func (c Config) Normalize() (Config, error) {
	def := func(s *string, v string) {
		if *s == "" {
			*s = v
		}
	}
	def(&c.Python, "python3")
	def(&c.Implementation, Transformers)
	def(&c.Device, "cpu")
	def(&c.DType, "float32")
	def(&c.Dynamic, "auto")
	if c.Compile {
		def(&c.CompileMode, "default")
	}
	if c.MaxRestarts == 0 {
		c.MaxRestarts = 2
	}
	oneOf := func(field, v string, want ...string) error {
		if !slices.Contains(want, v) {
			return fmt.Errorf("torch.%s = %q: want one of %s", field, v, strings.Join(want, ", "))
		}
		return nil
	}
	errs := []error{
		oneOf("implementation", c.Implementation, Transformers, TR119GPT2),
		oneOf("dtype", c.DType, "float32", "float16", "bfloat16"),
		oneOf("dynamic", c.Dynamic, "auto", "true", "false"),
		oneOf("matmul_precision", c.MatmulPrecision, "", "highest", "high", "medium"),
		oneOf("tf32", c.TF32, "", "true", "false"),
	}
	if c.Compile {
		errs = append(errs, oneOf("compile_mode", c.CompileMode, "default", "reduce-overhead", "max-autotune"))
	} else if c.CompileMode != "" {
		errs = append(errs, fmt.Errorf("torch.compile_mode = %q needs compile = true", c.CompileMode))
	}
	for _, err := range errs {
		if err != nil {
			return c, err
		}
	}
	if c.Device != "cpu" && !cudaRE.MatchString(c.Device) {
		return c, fmt.Errorf("torch.device = %q: want cpu, cuda or cuda:N", c.Device)
	}
	if c.Device == "cuda" {
		c.Device = "cuda:0"
	}
	if c.Compile && c.Implementation != Transformers {
		return c, fmt.Errorf("torch.compile = true needs implementation = %q (tr119-gpt2 runs eagerly)", Transformers)
	}
	if c.Threads < 0 || c.InteropThreads < 0 {
		return c, fmt.Errorf("torch.threads = %d, interop_threads = %d: must not be negative", c.Threads, c.InteropThreads)
	}
	for _, e := range c.Env {
		if k, _, ok := strings.Cut(e, "="); !ok || k == "" {
			return c, fmt.Errorf("torch.env entry %q: want NAME=value", e)
		}
	}
	return c, nil
}

// request is the load request's settings part.
func (c Config) load(dir string) map[string]any {
	r := map[string]any{"op": "load", "dir": dir, "implementation": c.Implementation, "device": c.Device,
		"dtype": c.DType, "threads": c.Threads, "interop_threads": c.InteropThreads, "compile": c.Compile,
		"compile_mode": c.CompileMode, "attn_implementation": c.AttnImplementation,
		"matmul_precision": c.MatmulPrecision}
	if c.Compile && c.Dynamic != "auto" {
		r["dynamic"] = c.Dynamic == "true"
	}
	if c.TF32 != "" {
		r["tf32"], _ = strconv.ParseBool(c.TF32)
	}
	return r
}

// versionMatches reports whether a found version is the declared one,
// allowing a local or pre-release suffix: "2.11.0" matches
// "2.11.0+cu130", "2.11" matches "2.11.0", but "2.1" does not match "2.11".
func versionMatches(declared, found string) bool {
	if declared == "" {
		return true
	}
	if !strings.HasPrefix(found, declared) {
		return false
	}
	rest := found[len(declared):]
	return rest == "" || rest[0] < '0' || rest[0] > '9'
}
