package model

import (
	"fmt"
	"math/big"
	"path/filepath"

	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/zclconf/go-cty/cty"
)

// Defaults of the stage's attributes.
const (
	defaultSource = "synthetic"
	defaultPreset = "gpt2"
	defaultSeed   = 42
)

// spec is the stage body's hcldec spec.
func spec() hcldec.Spec {
	def := func(name string, t cty.Type, v cty.Value) hcldec.Spec {
		return &hcldec.DefaultSpec{Primary: &hcldec.AttrSpec{Name: name, Type: t}, Default: &hcldec.LiteralSpec{Value: v}}
	}
	return hcldec.ObjectSpec{
		"source": def("source", cty.String, cty.StringVal(defaultSource)),
		// preset and seed have no spec default: they are errors with a
		// checkpoint, so decode must see whether they were written.
		"preset": &hcldec.AttrSpec{Name: "preset", Type: cty.String},
		"seed":   &hcldec.AttrSpec{Name: "seed", Type: cty.Number},
		"dir":    &hcldec.AttrSpec{Name: "dir", Type: cty.String},
		"fused":  def("fused", cty.Bool, cty.False),
	}
}

// config is a decoded and checked stage body.
type config struct {
	Source string // "synthetic" or "huggingface"
	Preset string // synthetic only
	Seed   uint64 // synthetic only
	Dir    string // huggingface only, as written (relative to the workspace)
	// Fused writes graphs with ONNX Runtime's fused operators.
	Fused bool
}

// decode checks the evaluated body; errors name the attribute.
func decode(v cty.Value) (config, error) {
	str := func(name string) string {
		if !v.Type().HasAttribute(name) {
			return ""
		}
		x := v.GetAttr(name)
		if x.IsNull() || !x.IsKnown() || x.Type() != cty.String {
			return ""
		}
		return x.AsString()
	}
	c := config{Source: str("source"), Preset: str("preset"), Dir: str("dir")}
	if v.Type().HasAttribute("fused") {
		if f := v.GetAttr("fused"); !f.IsNull() && f.IsKnown() && f.Type() == cty.Bool {
			c.Fused = f.True()
		}
	}
	if c.Source == "" {
		c.Source = defaultSource
	}
	switch c.Source {
	case "synthetic":
		if c.Dir != "" {
			return config{}, fmt.Errorf(`dir: only used with source = "huggingface"`)
		}
		if c.Preset == "" {
			c.Preset = defaultPreset
		}
		seed, err := seedOf(v)
		if err != nil {
			return config{}, err
		}
		c.Seed = seed
	case "huggingface":
		if c.Dir == "" {
			return config{}, fmt.Errorf(`dir: required with source = "huggingface" (a folder holding config.json and model.safetensors)`)
		}
		if c.Preset != "" || (v.Type().HasAttribute("seed") && !v.GetAttr("seed").IsNull()) {
			return config{}, fmt.Errorf(`preset, seed: only used with source = "synthetic" (the checkpoint defines the model)`)
		}
	default:
		return config{}, fmt.Errorf(`source: %q is not "synthetic" or "huggingface"`, c.Source)
	}
	return c, nil
}

func seedOf(v cty.Value) (uint64, error) {
	if !v.Type().HasAttribute("seed") || v.GetAttr("seed").IsNull() {
		return defaultSeed, nil
	}
	n := v.GetAttr("seed")
	if !n.IsKnown() || n.Type() != cty.Number {
		return 0, fmt.Errorf("seed: want a number")
	}
	bf := n.AsBigFloat()
	if !bf.IsInt() || bf.Sign() < 0 || bf.Cmp(new(big.Float).SetUint64(^uint64(0))) > 0 {
		return 0, fmt.Errorf("seed: want a whole number from 0 to 2^64-1, got %s", bf.Text('g', -1))
	}
	u, _ := bf.Uint64()
	return u, nil
}

// checkpointDir resolves dir against the workspace.
func checkpointDir(workspace, dir string) string {
	if filepath.IsAbs(dir) {
		return dir
	}
	return filepath.Join(workspace, dir)
}
