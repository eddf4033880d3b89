package benchmark

import (
	"sort"

	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/zclconf/go-cty/cty"

	"github.com/tr119/tr119/engine"
	"github.com/tr119/tr119/schema"
)

// Settings implements engine.SettingsUser.
func (k *Kind) Settings() []engine.Setting {
	return []engine.Setting{{Name: "onnxruntime_library",
		Doc: "The ONNX Runtime shared library (libonnxruntime.so) to load; by default found the usual ways."}}
}

// constraints are parseConfig's checks as schema declarations, so that
// validate reports them with the attribute's range instead of the stage
// failing at apply after its model was built. parseConfig still checks
// everything at run time.
var constraints = map[string]func(a *schema.Attr){
	"backend":   func(a *schema.Attr) { a.OneOf = []string{"onnxruntime"} },
	"device":    func(a *schema.Attr) { a.Check = checkDevice },
	"label":     func(a *schema.Attr) { a.MaxLen, a.Display = 200, true },
	"scenarios": func(a *schema.Attr) { a.Check = checkScenarios },
	"modes": func(a *schema.Attr) {
		a.OneOf, a.MinItems, a.Unique = []string{"prefill", "generate", "decode"}, 1, true
	},
	"repetitions":         intRange(1, 1<<20),
	"warmups":             intRange(0, 1<<20),
	"max_new_tokens":      intRange(1, 1<<16),
	"max_seq_len":         intRange(1, 1<<20),
	"intra_op_threads":    intRange(0, 1024),
	"inter_op_threads":    intRange(0, 1024),
	"seed":                intRange(-1<<62, 1<<62),
	"timeout":             func(a *schema.Attr) { a.Check = checkDuration },
	"min_energy_window":   func(a *schema.Attr) { a.Check = checkDuration },
	"idle_baseline":       func(a *schema.Attr) { a.Check = checkDuration },
	"model_cpu_tdp_watts": func(a *schema.Attr) { a.Min = schema.Float(0) },
	"graph_optimization":  func(a *schema.Attr) { a.OneOf = []string{"disable", "basic", "extended", "all"} },
	"execution_provider":  func(a *schema.Attr) { a.OneOf = []string{"", "cpu", "cuda", "tensorrt"} },
}

func intRange(lo, hi float64) func(a *schema.Attr) {
	return func(a *schema.Attr) { a.Integer, a.Min, a.Max = true, schema.Float(lo), schema.Float(hi) }
}

func checkDevice(v cty.Value) error {
	var c config
	return c.parseDevice(v.AsString())
}

func checkDuration(v cty.Value) error {
	_, err := duration(v)
	return err
}

// checkScenarios accepts a non-empty list of distinct scenario
// references.
func checkScenarios(v cty.Value) error {
	_, err := parseScenarios(v)
	return err
}

// providerRule: a GPU provider on the cpu device, or cpu on a GPU device,
// is a contradiction.
func providerRule(v cty.Value) []*schema.PathError {
	dev, ok1 := schema.Known(v, "device")
	p, ok2 := schema.Known(v, "execution_provider")
	if !ok1 || !ok2 || p.AsString() == "" {
		return nil
	}
	var c config
	if c.parseDevice(dev.AsString()) != nil {
		return nil
	}
	if err := c.parseProvider(p); err != nil {
		return []*schema.PathError{schema.Errorf(cty.GetAttrPath("execution_provider"), "Provider does not fit the device", "%s", err.Error())}
	}
	return nil
}

// specSchema wraps the benchmark's hcldec spec (attributes and attributes
// with literal defaults) as a schema.Body that decodes to the same value,
// so its action keys are unchanged, with parseConfig's checks declared in
// constraints.
func specSchema(spec hcldec.Spec) *schema.Body {
	s := spec.(hcldec.ObjectSpec)
	names := make([]string, 0, len(s))
	for n := range s {
		names = append(names, n)
	}
	sort.Strings(names)
	b := &schema.Body{}
	for _, n := range names {
		switch x := s[n].(type) {
		case *hcldec.AttrSpec:
			b.Attrs = append(b.Attrs, &schema.Attr{Name: x.Name, Type: x.Type, Required: x.Required})
		case *hcldec.DefaultSpec:
			p := x.Primary.(*hcldec.AttrSpec)
			d := x.Default.(*hcldec.LiteralSpec)
			b.Attrs = append(b.Attrs, &schema.Attr{Name: p.Name, Type: p.Type, Default: d.Value, SpecDefault: true})
		default:
			panic("benchmark: specSchema: unsupported spec for " + n)
		}
		if f := constraints[n]; f != nil {
			f(b.Attrs[len(b.Attrs)-1])
		}
	}
	b.Rules = []schema.Rule{{Doc: "execution_provider runs on the device.", Check: providerRule}}
	return b
}
