package onnxruntime

import (
	"fmt"
	"math/big"

	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/zclconf/go-cty/cty"

	"github.com/tr119/tr119/backends"
)

// Registration is the ONNX Runtime plug-in of the benchmark stage: the
// `onnxruntime { ... }` block, read from the model stage's `onnx` output.
func Registration() backends.Registration {
	return backends.Registration{
		Name:   "onnxruntime",
		Doc:    "ONNX Runtime through onnxruntime_go (cgo): CPU, CUDA or TensorRT execution provider.",
		Format: "onnx",
		Files:  []string{"config.json", "model.safetensors", "model.onnx", "model_last.onnx", "decoder.onnx", "decoder_with_past.onnx"},
		Schema: blockSpec{
			"version":            strDefault("version", PinnedVersion),
			"provider":           strDefault("provider", ""),
			"provider_options":   &hcldec.DefaultSpec{Primary: &hcldec.AttrSpec{Name: "provider_options", Type: cty.Map(cty.String)}, Default: &hcldec.LiteralSpec{Value: cty.MapValEmpty(cty.String)}},
			"intra_op_threads":   numDefault("intra_op_threads", 0),
			"inter_op_threads":   numDefault("inter_op_threads", 0),
			"graph_optimization": strDefault("graph_optimization", "all"),
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
		return nil, fmt.Errorf("onnxruntime.provider %q does not run on device %q", s.Provider, c.Device)
	}
	lib, err := ResolveLibrary(c.Settings[LibrarySetting], c.Workspace)
	if err != nil {
		return nil, err
	}
	return &Backend{Library: lib, Settings: s}, nil
}

// decodeSettings reads the block's value (defaults filled in).
func decodeSettings(v cty.Value) (Settings, error) {
	var s Settings
	if v.IsNull() || !v.Type().IsObjectType() {
		return s, fmt.Errorf("onnxruntime: want a block")
	}
	str := func(n string) string {
		x := v.GetAttr(n)
		if x.IsNull() || !x.IsKnown() || x.Type() != cty.String {
			return ""
		}
		return x.AsString()
	}
	s.Version, s.Provider, s.GraphOptimization = str("version"), str("provider"), str("graph_optimization")
	if s.Version == "" {
		return s, fmt.Errorf("onnxruntime.version: declare the runtime version (default %s)", PinnedVersion)
	}
	switch s.Provider {
	case "", "cpu", "cuda", "tensorrt":
	default:
		return s, fmt.Errorf("onnxruntime.provider %q: want cpu, cuda or tensorrt", s.Provider)
	}
	if _, err := optLevel(s.GraphOptimization); err != nil {
		return s, fmt.Errorf("onnxruntime.%w", err)
	}
	for _, f := range []struct {
		name string
		dst  *int
	}{{"intra_op_threads", &s.IntraOpThreads}, {"inter_op_threads", &s.InterOpThreads}} {
		x := v.GetAttr(f.name)
		if x.IsNull() || !x.IsKnown() || x.Type() != cty.Number {
			return s, fmt.Errorf("onnxruntime.%s: want a number", f.name)
		}
		n, acc := x.AsBigFloat().Int64()
		if acc != big.Exact || n < 0 || n > 1024 {
			return s, fmt.Errorf("onnxruntime.%s: want a whole number from 0 to 1024", f.name)
		}
		*f.dst = int(n)
	}
	if po := v.GetAttr("provider_options"); !po.IsNull() && po.IsKnown() && po.LengthInt() > 0 {
		s.ProviderOptions = map[string]string{}
		for k, x := range po.AsValueMap() {
			s.ProviderOptions[k] = x.AsString()
		}
	}
	return s, nil
}

// blockSpec is the block's schema until the schema package lands.
type blockSpec hcldec.ObjectSpec

// Spec implements backends.BlockSchema.
func (b blockSpec) Spec() hcldec.Spec { return hcldec.ObjectSpec(b) }

func strDefault(name, v string) hcldec.Spec {
	return &hcldec.DefaultSpec{Primary: &hcldec.AttrSpec{Name: name, Type: cty.String}, Default: &hcldec.LiteralSpec{Value: cty.StringVal(v)}}
}

func numDefault(name string, v int64) hcldec.Spec {
	return &hcldec.DefaultSpec{Primary: &hcldec.AttrSpec{Name: name, Type: cty.Number}, Default: &hcldec.LiteralSpec{Value: cty.NumberIntVal(v)}}
}
