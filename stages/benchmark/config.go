package benchmark

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/agext/levenshtein"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/zclconf/go-cty/cty"

	"github.com/tr119/tr119/backends"
	"github.com/tr119/tr119/engine"
	"github.com/tr119/tr119/models/gpt2"
)

// config is a decoded benchmark stage body.
type config struct {
	// Backend is the registered backend the stage names; Block its
	// nested block's value, defaults filled in.
	Backend     string
	Reg         backends.Registration
	Block       cty.Value
	Device      string // "cpu" or "cuda:N"
	DeviceID    int
	DeviceClass string // "cpu" or "gpu"
	// Label names the backend in the runs table (display only); it
	// defaults to the stage's name.
	Label           string
	Model           engine.Artifact
	ModelName       string
	Scenarios       []scenario
	Modes           []backends.Mode
	Repetitions     int
	Warmups         int
	MaxNewTokens    int
	MaxSeqLen       int
	StopOnEOS       bool
	Seed            int64
	Timeout         time.Duration
	MinEnergyWindow time.Duration
	Optional        bool
	// ModelCPUTDPWatts > 0 asks telemetry for a modeled cpu_package
	// power (labelled modeled) where RAPL is unavailable.
	ModelCPUTDPWatts float64
	// IdleBaseline is how long the idle baseline is measured.
	IdleBaseline time.Duration
}

func strDefault(name, v string) hcldec.Spec {
	return &hcldec.DefaultSpec{
		Primary: &hcldec.AttrSpec{Name: name, Type: cty.String},
		Default: &hcldec.LiteralSpec{Value: cty.StringVal(v)},
	}
}

func boolDefault(name string, v bool) hcldec.Spec {
	return &hcldec.DefaultSpec{
		Primary: &hcldec.AttrSpec{Name: name, Type: cty.Bool},
		Default: &hcldec.LiteralSpec{Value: cty.BoolVal(v)},
	}
}

// spec is the benchmark body's hcldec spec: the stage's own attributes
// and one optional nested block per registered backend (absent: null,
// read as all defaults).
func spec(reg *backends.Registry) hcldec.Spec {
	s := hcldec.ObjectSpec{
		"backend":   &hcldec.AttrSpec{Name: "backend", Type: cty.String, Required: true},
		"device":    strDefault("device", "cpu"),
		"label":     &hcldec.AttrSpec{Name: "label", Type: cty.String},
		"model":     &hcldec.AttrSpec{Name: "model", Type: engine.ArtifactType, Required: true},
		"scenarios": &hcldec.AttrSpec{Name: "scenarios", Type: cty.DynamicPseudoType, Required: true},
		"modes": &hcldec.DefaultSpec{
			Primary: &hcldec.AttrSpec{Name: "modes", Type: cty.List(cty.String)},
			Default: &hcldec.LiteralSpec{Value: cty.ListVal([]cty.Value{
				cty.StringVal("prefill"), cty.StringVal("generate"), cty.StringVal("decode")})},
		},
		"repetitions":         numDefault("repetitions", 7),
		"warmups":             numDefault("warmups", 2),
		"max_new_tokens":      numDefault("max_new_tokens", 8),
		"max_seq_len":         numDefault("max_seq_len", 512),
		"stop_on_eos":         boolDefault("stop_on_eos", false),
		"seed":                numDefault("seed", 42),
		"timeout":             strDefault("timeout", "120s"),
		"min_energy_window":   strDefault("min_energy_window", "2s"),
		"optional":            boolDefault("optional", false),
		"model_cpu_tdp_watts": numDefault("model_cpu_tdp_watts", 0),
		"idle_baseline":       strDefault("idle_baseline", "3s"),
	}
	for _, n := range reg.Names() {
		b, _ := reg.Lookup(n)
		s[n] = &hcldec.BlockSpec{TypeName: n, Nested: b.Schema.Spec()}
	}
	return s
}

// blockDefaults is a backend block's value when it is left out.
func blockDefaults(b backends.Registration) cty.Value {
	v, diags := hcldec.Decode(hcl.EmptyBody(), b.Schema.Spec(), nil)
	if diags.HasErrors() {
		return cty.EmptyObjectVal
	}
	return v
}

// parseConfig checks and converts an evaluated body; errors name the
// attribute.
func parseConfig(v cty.Value, reg *backends.Registry, stageName string) (*config, error) {
	c := &config{}
	get := func(n string) cty.Value { return v.GetAttr(n) }
	var err error
	wrap := func(name string, err error) error { return fmt.Errorf("%s: %w", name, err) }
	if c.Backend, err = str(get("backend")); err != nil {
		return nil, wrap("backend", err)
	}
	if err := c.parseBackend(v, reg); err != nil {
		return nil, err
	}
	dev, _ := str(get("device"))
	if err := c.parseDevice(dev); err != nil {
		return nil, err
	}
	if c.Model, err = engine.ArtifactFromValue(get("model")); err != nil {
		return nil, wrap("model", err)
	}
	c.ModelName = modelName(c.Model)
	if c.Scenarios, err = parseScenarios(get("scenarios")); err != nil {
		return nil, err
	}
	modes, err := strList(get("modes"))
	if err != nil {
		return nil, wrap("modes", err)
	}
	if err := c.parseModes(modes); err != nil {
		return nil, err
	}
	ints := []struct {
		name   string
		dst    *int
		lo, hi int64
	}{
		{"repetitions", &c.Repetitions, 1, 1 << 20},
		{"warmups", &c.Warmups, 0, 1 << 20},
		{"max_new_tokens", &c.MaxNewTokens, 1, 1 << 16},
		{"max_seq_len", &c.MaxSeqLen, 1, 1 << 20},
	}
	for _, f := range ints {
		if *f.dst, err = intAttr(get(f.name), f.lo, f.hi); err != nil {
			return nil, wrap(f.name, err)
		}
	}
	seed, err := intAttr(get("seed"), -1<<62, 1<<62)
	if err != nil {
		return nil, wrap("seed", err)
	}
	c.Seed = int64(seed)
	c.StopOnEOS = get("stop_on_eos").True()
	c.Optional = get("optional").True()
	if c.Timeout, err = duration(get("timeout")); err != nil {
		return nil, wrap("timeout", err)
	}
	if c.MinEnergyWindow, err = duration(get("min_energy_window")); err != nil {
		return nil, wrap("min_energy_window", err)
	}
	if c.IdleBaseline, err = duration(get("idle_baseline")); err != nil {
		return nil, wrap("idle_baseline", err)
	}
	tdp := get("model_cpu_tdp_watts")
	if tdp.IsNull() || tdp.Type() != cty.Number {
		return nil, fmt.Errorf("model_cpu_tdp_watts: want a number")
	}
	if c.ModelCPUTDPWatts, _ = tdp.AsBigFloat().Float64(); c.ModelCPUTDPWatts < 0 {
		return nil, fmt.Errorf("model_cpu_tdp_watts: must not be negative")
	}
	if c.Label, _ = str(get("label")); c.Label == "" {
		c.Label = stageName
	}
	if n := len([]rune(c.Label)); n > maxLabel {
		return nil, fmt.Errorf("label: %d characters, at most %d", n, maxLabel)
	}
	return c, nil
}

func (c *config) parseDevice(dev string) error {
	switch {
	case dev == "cpu":
		c.DeviceClass = "cpu"
	case dev == "cuda":
		c.DeviceClass, dev = "gpu", "cuda:0"
	case strings.HasPrefix(dev, "cuda:"):
		id, err := strconv.Atoi(strings.TrimPrefix(dev, "cuda:"))
		if err != nil || id < 0 {
			return fmt.Errorf("device %q: want cpu, cuda or cuda:N", dev)
		}
		c.DeviceClass, c.DeviceID = "gpu", id
	default:
		return fmt.Errorf("device %q: want cpu, cuda or cuda:N", dev)
	}
	c.Device = dev
	return nil
}

func (c *config) parseModes(modes []string) error {
	if len(modes) == 0 {
		return fmt.Errorf("modes: empty list")
	}
	seen := map[string]bool{}
	for _, m := range modes {
		switch backends.Mode(m) {
		case backends.Prefill, backends.Generate, backends.Decode:
		default:
			return fmt.Errorf("modes: %q: want prefill, generate or decode", m)
		}
		if seen[m] {
			return fmt.Errorf("modes: %q listed twice", m)
		}
		seen[m] = true
		c.Modes = append(c.Modes, backends.Mode(m))
	}
	return nil
}

// maxLabel bounds a label's length: it names a backend in tables and
// figures.
const maxLabel = 200

// parseBackend looks the backend up and reads its block (defaults when
// absent); a block of another backend is a mistake, not ignored.
func (c *config) parseBackend(v cty.Value, reg *backends.Registry) error {
	b, ok := reg.Lookup(c.Backend)
	if !ok {
		return fmt.Errorf("backend %q: unknown backend%s; known: %s", c.Backend, suggest(c.Backend, reg.Names()), strings.Join(reg.Names(), ", "))
	}
	c.Reg = b
	for _, n := range reg.Names() {
		if n != c.Backend && v.Type().HasAttribute(n) && !v.GetAttr(n).IsNull() {
			return fmt.Errorf("%s: block given, but backend = %q (its block is %s { ... })", n, c.Backend, c.Backend)
		}
	}
	c.Block = blockDefaults(b)
	if v.Type().HasAttribute(b.Name) && !v.GetAttr(b.Name).IsNull() {
		c.Block = v.GetAttr(b.Name)
	}
	return nil
}

func duration(v cty.Value) (time.Duration, error) {
	s, err := str(v)
	if err != nil {
		return 0, err
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, err
	}
	if d <= 0 {
		return 0, fmt.Errorf("%s: must be positive", s)
	}
	return d, nil
}

// modelName is the model's preset as its folder records it ("gpt2",
// "gpt2-fused"), else the producing stage's label (stage.model.gpt2 ->
// gpt2), else the folder's name.
func modelName(a engine.Artifact) string {
	if p, err := gpt2.ReadProvenance(a.Path); err == nil && p.Name() != "" {
		return p.Name()
	}
	if i := strings.LastIndex(a.Stage, "."); i >= 0 && i+1 < len(a.Stage) {
		return a.Stage[i+1:]
	}
	return filepath.Base(a.Path)
}

// suggest returns `; did you mean "X"?` for the candidate closest to
// name, when one is close enough.
func suggest(name string, candidates []string) string {
	best, bestD := "", 1<<30
	for _, c := range candidates {
		if d := levenshtein.Distance(name, c, nil); d < bestD {
			best, bestD = c, d
		}
	}
	if best == "" || bestD > max(2, len(name)/3) {
		return ""
	}
	return fmt.Sprintf("; did you mean %q?", best)
}
