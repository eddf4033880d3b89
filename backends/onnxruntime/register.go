package onnxruntime

import (
	"fmt"

	"github.com/zclconf/go-cty/cty"

	"github.com/tr119/tr119/backends"
	"github.com/tr119/tr119/schema"
)

// Registration is the ONNX Runtime plug-in of the benchmark stage: the
// `onnxruntime { ... }` block, read from the model stage's `onnx` output.
func Registration() backends.Registration {
	return backends.Registration{
		Name:   "onnxruntime",
		Doc:    "ONNX Runtime through onnxruntime_go (cgo): CPU, CUDA or TensorRT execution provider.",
		Format: "onnx",
		Files:  []string{"config.json", "model.safetensors", "model.onnx", "model_last.onnx", "decoder.onnx", "decoder_with_past.onnx"},
		Schema: blockSchema(),
		Check: func(block cty.Value, device string) error {
			p, ok := schema.Known(block, "provider")
			if !ok {
				return nil
			}
			if pv := p.AsString(); pv != "" && (pv == "cpu") != (device == "cpu") {
				return fmt.Errorf("onnxruntime.provider %q does not run on device %q: the cpu provider runs on device \"cpu\", cuda and tensorrt on \"cuda:N\"", pv, device)
			}
			return nil
		},
		Settings: map[string]string{LibrarySetting: "path of libonnxruntime.so (default: " + DefaultLibrary + " near the executable or the workspace)"},
		New:      newBackend,
		Fingerprint: func(f backends.FingerprintRequest) map[string]string {
			lib, err := ResolveLibrary(f.Settings[LibrarySetting], f.Workspace)
			if err != nil {
				return nil
			}
			sha, err := f.Hash(lib)
			if err != nil {
				return nil
			}
			return map[string]string{"library_sha256": sha}
		},
	}
}

// newBackend configures the backend from a decoded block.
func newBackend(c backends.Config) (backends.Backend, error) {
	s, err := decodeSettings(c.Block)
	if err != nil {
		return nil, err
	}
	s.DeviceID = c.DeviceID
	if s.Provider == "" {
		s.Provider = "cpu"
		if c.Device != "cpu" {
			s.Provider = "cuda"
		}
	}
	if (s.Provider == "cpu") != (c.Device == "cpu") {
		return nil, fmt.Errorf("onnxruntime.provider %q does not run on device %q: the cpu provider runs on device \"cpu\", cuda and tensorrt on \"cuda:N\"", s.Provider, c.Device)
	}
	lib, err := ResolveLibrary(c.Settings[LibrarySetting], c.Workspace)
	if err != nil {
		return nil, err
	}
	return &Backend{Library: lib, Settings: s}, nil
}

// block is the decoded `onnxruntime { ... }` block.
type block struct {
	Version           string            `cty:"version"`
	Provider          string            `cty:"provider"`
	ProviderOptions   map[string]string `cty:"provider_options"`
	IntraOpThreads    int               `cty:"intra_op_threads"`
	InterOpThreads    int               `cty:"inter_op_threads"`
	GraphOptimization string            `cty:"graph_optimization"`
}

// decodeSettings checks and reads the block's value.
func decodeSettings(v cty.Value) (Settings, error) {
	b := blockSchema()
	if v.IsNull() {
		v = cty.EmptyObjectVal
	}
	v = b.WithDefaults(b.FillAbsent(v))
	if errs := b.Validate(v); len(errs) > 0 {
		return Settings{}, fmt.Errorf("onnxruntime.%w", errs[0])
	}
	var x block
	if err := b.Decode(v, &x); err != nil {
		return Settings{}, fmt.Errorf("onnxruntime: %w", err)
	}
	s := Settings{Version: x.Version, Provider: x.Provider, IntraOpThreads: x.IntraOpThreads,
		InterOpThreads: x.InterOpThreads, GraphOptimization: x.GraphOptimization}
	if len(x.ProviderOptions) > 0 {
		s.ProviderOptions = x.ProviderOptions
	}
	return s, nil
}

// blockSchema is the `onnxruntime { ... }` block.
func blockSchema() *schema.Body {
	threads := func(name, doc string) *schema.Attr {
		return &schema.Attr{Name: name, Type: cty.Number, Default: cty.Zero, SpecDefault: true, Integer: true,
			Min: schema.Float(0), Max: schema.Float(1024), Doc: doc}
	}
	return &schema.Body{Attrs: []*schema.Attr{
		{Name: "version", Type: cty.String, Default: cty.StringVal(PinnedVersion), SpecDefault: true,
			Doc: "declared ONNX Runtime version (in the key): the library found at run time must report it, else the stage fails before measuring",
			Check: func(v cty.Value) error {
				if v.AsString() == "" {
					return fmt.Errorf("declare the runtime version (default %s)", PinnedVersion)
				}
				return nil
			}},
		{Name: "provider", Type: cty.String, Default: cty.StringVal(""), SpecDefault: true, OneOf: []string{"", "cpu", "cuda", "tensorrt"},
			Doc: `execution provider ("" = the device's: cpu, or cuda on cuda:N); never a fall-back`},
		{Name: "provider_options", Type: cty.Map(cty.String), Default: cty.MapValEmpty(cty.String), SpecDefault: true,
			Doc: "options passed to the provider as they are (device_id comes from the device)"},
		threads("intra_op_threads", "intra-op thread pool size (0: ONNX Runtime's default)"),
		threads("inter_op_threads", "inter-op thread pool size (0: ONNX Runtime's default)"),
		{Name: "graph_optimization", Type: cty.String, Default: cty.StringVal("all"), SpecDefault: true,
			OneOf: []string{"disable", "basic", "extended", "all"}, Doc: "graph optimisation level"},
	}}
}
