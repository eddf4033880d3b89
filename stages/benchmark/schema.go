package benchmark

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/zclconf/go-cty/cty"

	"github.com/tr119/tr119/backends"
	"github.com/tr119/tr119/engine"
	"github.com/tr119/tr119/schema"
)

// bodySchema is the benchmark stage's body: its own attributes, and one
// optional nested block per registered backend (absent: all defaults).
func bodySchema(reg *backends.Registry) *schema.Body {
	num := func(name string, def int64, lo, hi float64, doc string) *schema.Attr {
		return &schema.Attr{Name: name, Type: cty.Number, Default: cty.NumberIntVal(def), SpecDefault: true,
			Integer: true, Min: schema.Float(lo), Max: schema.Float(hi), Doc: doc}
	}
	dur := func(name, def, doc string) *schema.Attr {
		return &schema.Attr{Name: name, Type: cty.String, Default: cty.StringVal(def), SpecDefault: true, Doc: doc,
			Check: func(v cty.Value) error { _, err := parseDuration(v.AsString()); return err }}
	}
	modes := []cty.Value{cty.StringVal("prefill"), cty.StringVal("generate"), cty.StringVal("decode")}
	b := &schema.Body{Attrs: []*schema.Attr{
		{Name: "backend", Type: cty.String, Required: true, OneOf: reg.Names(),
			Doc: "inference backend; configure it in its block of the same name"},
		{Name: "device", Type: cty.String, Default: cty.StringVal("cpu"), SpecDefault: true,
			Doc: `"cpu", "cuda" or "cuda:N"`, Check: func(v cty.Value) error { _, _, err := parseDevice(v.AsString()); return err }},
		{Name: "label", Type: cty.String, Display: true, MaxLen: maxLabel,
			Doc: "the backend's name in tables and figures (display only: renaming relabels, never re-measures); default: the stage's name"},
		{Name: "model", Type: engine.ArtifactType, TypeName: "artifact", Required: true,
			Doc: "the model stage output the backend reads (stage.model.NAME.onnx, or .hf for the torch backend)"},
		{Name: "scenarios", Type: cty.DynamicPseudoType, Required: true, MinItems: 1,
			Doc: "list of scenario blocks (scenario.NAME)", Check: func(v cty.Value) error { _, err := parseScenarios(v); return err }},
		{Name: "modes", Type: cty.List(cty.String), Default: cty.ListVal(modes), SpecDefault: true, MinItems: 1, Unique: true,
			OneOf: []string{"prefill", "generate", "decode"}, Doc: "modes to time"},
		num("repetitions", 7, 1, 1<<20, "timed repetitions per cell"),
		num("warmups", 2, 0, 1<<20, "warmup repetitions per cell (kept, flagged, never counted)"),
		num("max_new_tokens", 8, 1, 1<<16, "tokens generate and decode produce"),
		num("max_seq_len", 512, 1, 1<<20, "cap on prompt + generated tokens"),
		{Name: "stop_on_eos", Type: cty.Bool, Default: cty.False, SpecDefault: true, Doc: "end a row at EOS"},
		num("seed", 42, -(1 << 62), 1<<62, "seed of the cell order"),
		dur("timeout", "120s", "per-call timeout"),
		dur("min_energy_window", "2s", "where energy is measured, a repetition loops its call until its window is this long"),
		{Name: "optional", Type: cty.Bool, Default: cty.False, SpecDefault: true,
			Doc: "a backend or provider that cannot load makes the stage unavailable instead of failing"},
		{Name: "model_cpu_tdp_watts", Type: cty.Number, Default: cty.Zero, SpecDefault: true, Min: schema.Float(0), Max: schema.Float(100000),
			Doc: "> 0: a modeled cpu_package power (labelled modeled) where RAPL is absent"},
		dur("idle_baseline", "3s", "how long the idle power baseline is measured"),
	}}
	for _, n := range reg.Names() {
		r, _ := reg.Lookup(n)
		b.Blocks = append(b.Blocks, &schema.Block{Name: n, Nesting: schema.Single, Body: r.Schema,
			Doc: r.Doc + ` (used when backend = "` + n + `")`})
	}
	b.Rules = []schema.Rule{{
		Doc:   "only the selected backend's block may be given, and it must suit the device",
		Check: func(v cty.Value) []*schema.PathError { return backendRule(reg, v) },
	}}
	return b
}

// backendRule rejects the block of a backend the stage does not use, and
// runs the selected backend's own check against the device.
func backendRule(reg *backends.Registry, v cty.Value) []*schema.PathError {
	be, ok := schema.Known(v, "backend")
	if !ok {
		return nil
	}
	name := be.AsString()
	if _, ok := reg.Lookup(name); !ok {
		return nil // the backend attribute's own check says it is unknown
	}
	var errs []*schema.PathError
	for _, n := range reg.Names() {
		if b, ok := schema.Known(v, n); ok && n != name && !b.IsNull() {
			errs = append(errs, schema.Errorf(cty.GetAttrPath(n), "Block of another backend",
				"%s { ... } configures backend %q, but this stage has backend = %q: move the settings into %s { ... } or remove the block.", n, n, name, name))
		}
	}
	r, ok := reg.Lookup(name)
	dev, devOK := schema.Known(v, "device")
	if !ok || r.Check == nil || !devOK {
		return errs
	}
	d, _, err := parseDevice(dev.AsString())
	if err != nil {
		return errs
	}
	block := cty.NullVal(cty.DynamicPseudoType)
	if b, ok := schema.Known(v, name); ok {
		block = b
	} else if v.Type().HasAttribute(name) && !v.GetAttr(name).IsWhollyKnown() {
		return errs
	}
	if block.IsNull() {
		block = backendBlock(r, block)
	}
	if err := r.Check(block, d); err != nil {
		errs = append(errs, schema.Errorf(cty.GetAttrPath(name), "Backend does not suit the device", "%s", err.Error()))
	}
	return errs
}

// parseDevice reads "cpu", "cuda" (cuda:0) or "cuda:N".
func parseDevice(dev string) (name string, id int, err error) {
	switch {
	case dev == "cpu":
		return dev, 0, nil
	case dev == "cuda":
		return "cuda:0", 0, nil
	case strings.HasPrefix(dev, "cuda:"):
		id, err := strconv.Atoi(strings.TrimPrefix(dev, "cuda:"))
		if err == nil && id >= 0 {
			return dev, id, nil
		}
	}
	return "", 0, fmt.Errorf("device %q: want cpu, cuda or cuda:N", dev)
}

// parseDuration reads a positive Go duration ("2s", "500ms").
func parseDuration(s string) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a duration such as \"2s\" or \"500ms\"", s)
	}
	if d <= 0 {
		return 0, fmt.Errorf("%s: must be positive", s)
	}
	return d, nil
}
