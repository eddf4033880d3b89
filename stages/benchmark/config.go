package benchmark

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/zclconf/go-cty/cty"

	"github.com/tr119/tr119/backends"
	"github.com/tr119/tr119/engine"
	"github.com/tr119/tr119/models/gpt2"
)

// config is a decoded benchmark stage body.
type config struct {
	Backend         string
	Device          string // "cpu", "cuda", "cuda:N"
	DeviceClass     string // "cpu" or "gpu"
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
	Options         backends.Options
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

// spec is the benchmark body's hcldec spec.
func spec() hcldec.Spec {
	return hcldec.ObjectSpec{
		"backend":   &hcldec.AttrSpec{Name: "backend", Type: cty.String, Required: true},
		"device":    strDefault("device", "cpu"),
		"label":     strDefault("label", ""),
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
		"intra_op_threads":    numDefault("intra_op_threads", 0),
		"inter_op_threads":    numDefault("inter_op_threads", 0),
		"graph_optimization":  strDefault("graph_optimization", "all"),
		"execution_provider":  strDefault("execution_provider", ""),
		"provider_options":    &hcldec.AttrSpec{Name: "provider_options", Type: cty.Map(cty.String)},
		"optional":            boolDefault("optional", false),
		"model_cpu_tdp_watts": numDefault("model_cpu_tdp_watts", 0),
		"idle_baseline":       strDefault("idle_baseline", "3s"),
	}
}

// parseConfig checks and converts an evaluated body; errors name the
// attribute.
func parseConfig(v cty.Value) (*config, error) {
	c := &config{}
	get := func(n string) cty.Value { return v.GetAttr(n) }
	var err error
	wrap := func(name string, err error) error { return fmt.Errorf("%s: %w", name, err) }
	if c.Backend, err = str(get("backend")); err != nil {
		return nil, wrap("backend", err)
	}
	if c.Backend != "onnxruntime" {
		return nil, fmt.Errorf("backend %q: only \"onnxruntime\" is supported", c.Backend)
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
		{"intra_op_threads", &c.Options.IntraOpThreads, 0, 1024},
		{"inter_op_threads", &c.Options.InterOpThreads, 0, 1024},
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
	if c.Options.GraphOptimization, err = str(get("graph_optimization")); err != nil {
		return nil, wrap("graph_optimization", err)
	}
	switch c.Options.GraphOptimization {
	case "disable", "basic", "extended", "all":
	default:
		return nil, fmt.Errorf("graph_optimization %q: want disable, basic, extended or all", c.Options.GraphOptimization)
	}
	if c.Options.ProviderOptions, err = strMap(get("provider_options")); err != nil {
		return nil, wrap("provider_options", err)
	}
	if err := c.parseProvider(get("execution_provider")); err != nil {
		return nil, err
	}
	if c.Label, _ = str(get("label")); c.Label == "" {
		c.Label = c.Backend + "-" + c.DeviceClass
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
		c.DeviceClass, c.Options.DeviceID = "gpu", id
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
	c.Options.Modes = c.Modes
	return nil
}

// parseProvider picks the execution provider: declared, else the
// device's (cpu for cpu, cuda for cuda:N). A GPU provider on the cpu
// device, or cpu on a GPU device, is a contradiction, not a fall-back.
func (c *config) parseProvider(v cty.Value) error {
	p, _ := str(v)
	if p == "" {
		p = map[string]string{"cpu": "cpu", "gpu": "cuda"}[c.DeviceClass]
	}
	switch p {
	case "cpu", "cuda", "tensorrt":
	default:
		return fmt.Errorf("execution_provider %q: want cpu, cuda or tensorrt", p)
	}
	if (p == "cpu") != (c.DeviceClass == "cpu") {
		return fmt.Errorf("execution_provider %q does not run on device %q", p, c.Device)
	}
	c.Options.Provider = p
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
