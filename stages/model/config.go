package model

import (
	"fmt"
	"math/big"
	"path/filepath"

	"github.com/zclconf/go-cty/cty"

	"github.com/tr119/tr119/models/gpt2"
	"github.com/tr119/tr119/schema"
)

// Defaults of the stage's attributes.
const (
	defaultSource = "synthetic"
	defaultPreset = "gpt2"
	defaultSeed   = 42
)

// bodySchema is the stage body. source and fused have always been filled
// in at decoding (SpecDefault) and so are part of the key; preset and
// seed are filled in only by Decode, so the rules can see whether they
// were written beside a checkpoint.
func bodySchema() *schema.Body {
	return &schema.Body{
		Attrs: []*schema.Attr{
			{Name: "source", Type: cty.String, Default: cty.StringVal(defaultSource), SpecDefault: true,
				OneOf: []string{"synthetic", "huggingface"}, Doc: "Where the weights come from: seeded synthetic weights or a local Hugging Face checkpoint."},
			{Name: "preset", Type: cty.String, Default: cty.StringVal(defaultPreset), OneOf: gpt2.PresetNames(),
				Doc: "The model size of synthetic weights (source = \"synthetic\" only)."},
			{Name: "seed", Type: cty.Number, Default: cty.NumberIntVal(defaultSeed), Integer: true, Min: schema.Float(0),
				Check: checkSeed, Doc: "The seed of synthetic weights, 0 to 2^64-1 (source = \"synthetic\" only)."},
			{Name: "dir", Type: cty.String, Default: cty.StringVal(""),
				Doc: "The checkpoint folder holding config.json and model.safetensors, relative to the workspace (source = \"huggingface\" only)."},
			{Name: "fused", Type: cty.Bool, Default: cty.False, SpecDefault: true,
				Doc: "Write graphs with ONNX Runtime's fused attention, GELU and skip-LayerNorm operators."},
		},
		Rules: []schema.Rule{{Doc: "dir is required with source = \"huggingface\" and not allowed otherwise; preset and seed only with source = \"synthetic\".",
			Check: sourceRule}},
	}
}

func checkSeed(v cty.Value) error {
	if v.AsBigFloat().Cmp(new(big.Float).SetUint64(^uint64(0))) > 0 {
		return fmt.Errorf("seed %s is above 2^64-1", schema.NumberText(v.AsBigFloat()))
	}
	return nil
}

// sourceRule ties dir, preset and seed to the source.
func sourceRule(v cty.Value) []*schema.PathError {
	src := defaultSource
	if s, ok := schema.Known(v, "source"); ok {
		src = s.AsString()
	} else if !v.GetAttr("source").IsKnown() {
		return nil
	}
	_, hasDir := schema.Known(v, "dir")
	written := func(n string) bool { x := v.GetAttr(n); return x.IsKnown() && !x.IsNull() }
	var errs []*schema.PathError
	switch src {
	case "synthetic":
		if written("dir") {
			errs = append(errs, schema.Errorf(cty.GetAttrPath("dir"), "Argument not used",
				`dir is only used with source = "huggingface". Remove it, or set source = "huggingface".`))
		}
	case "huggingface":
		if !hasDir && v.GetAttr("dir").IsKnown() {
			errs = append(errs, schema.Errorf(cty.GetAttrPath("source"), "Missing dir",
				`source = "huggingface" needs dir, a folder holding config.json and model.safetensors.`))
		}
		for _, n := range []string{"preset", "seed"} {
			if written(n) {
				errs = append(errs, schema.Errorf(cty.GetAttrPath(n), "Argument not used",
					`%s is only used with source = "synthetic" (the checkpoint defines the model). Remove it.`, n))
			}
		}
	}
	return errs
}

// config is a decoded and checked stage body.
type config struct {
	Source string `cty:"source"` // "synthetic" or "huggingface"
	Preset string `cty:"preset"` // synthetic only
	Seed   uint64 `cty:"seed"`   // synthetic only
	Dir    string `cty:"dir"`    // huggingface only, as written (relative to the workspace)
	// Fused writes graphs with ONNX Runtime's fused operators.
	Fused bool `cty:"fused"`
}

// decode checks the evaluated body and converts it; errors name the
// attribute.
func decode(v cty.Value) (config, error) {
	var c config
	if err := bodySchema().ValidateDecode(v, &c); err != nil {
		return config{}, err
	}
	if c.Source == "huggingface" {
		c.Preset, c.Seed = "", 0 // the checkpoint defines the model
	}
	return c, nil
}

// checkpointDir resolves dir against the workspace.
func checkpointDir(workspace, dir string) string {
	if filepath.IsAbs(dir) {
		return dir
	}
	return filepath.Join(workspace, dir)
}
