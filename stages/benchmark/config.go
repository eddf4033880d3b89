package benchmark

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/zclconf/go-cty/cty"

	"github.com/tr119/tr119/backends"
	"github.com/tr119/tr119/engine"
	"github.com/tr119/tr119/models/gpt2"
	"github.com/tr119/tr119/schema"
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

// backendBlock is the selected backend's block as it is keyed and run:
// the block given, with its defaults filled, or, when it is left out (null),
// every attribute at its default (null where it has none).
func backendBlock(b backends.Registration, given cty.Value) cty.Value {
	if !given.IsNull() {
		return b.Schema.WithDefaults(given)
	}
	m := map[string]cty.Value{}
	for _, a := range b.Schema.Attrs {
		m[a.Name] = cty.NullVal(a.Type)
	}
	for _, x := range b.Schema.Blocks {
		m[x.Name] = cty.NullVal(cty.DynamicPseudoType)
	}
	return b.Schema.WithDefaults(cty.ObjectVal(m))
}

// attrs are the stage's own attributes, decoded by the schema.
type attrs struct {
	Backend          string    `cty:"backend"`
	Device           string    `cty:"device"`
	Label            *string   `cty:"label"`
	Model            cty.Value `cty:"model"`
	Scenarios        cty.Value `cty:"scenarios"`
	Modes            []string  `cty:"modes"`
	Repetitions      int       `cty:"repetitions"`
	Warmups          int       `cty:"warmups"`
	MaxNewTokens     int       `cty:"max_new_tokens"`
	MaxSeqLen        int       `cty:"max_seq_len"`
	StopOnEOS        bool      `cty:"stop_on_eos"`
	Seed             int64     `cty:"seed"`
	Timeout          string    `cty:"timeout"`
	MinEnergyWindow  string    `cty:"min_energy_window"`
	Optional         bool      `cty:"optional"`
	ModelCPUTDPWatts float64   `cty:"model_cpu_tdp_watts"`
	IdleBaseline     string    `cty:"idle_baseline"`
}

// parseConfig checks an evaluated body against the schema (the same
// checks validate runs) and converts it; errors name the attribute.
func parseConfig(v cty.Value, reg *backends.Registry, stageName string) (*config, error) {
	b := bodySchema(reg)
	if errs := b.Validate(v); len(errs) > 0 {
		msgs := make([]string, len(errs))
		for i, e := range errs {
			msgs[i] = e.Error()
		}
		return nil, errors.New(strings.Join(msgs, "; "))
	}
	own := v.AsValueMap()
	for _, n := range reg.Names() {
		delete(own, n)
	}
	var a attrs
	if err := (&schema.Body{Attrs: b.Attrs}).Decode(cty.ObjectVal(own), &a); err != nil {
		return nil, err
	}
	c := &config{Backend: a.Backend, Repetitions: a.Repetitions, Warmups: a.Warmups, MaxNewTokens: a.MaxNewTokens,
		MaxSeqLen: a.MaxSeqLen, StopOnEOS: a.StopOnEOS, Seed: a.Seed, Optional: a.Optional, ModelCPUTDPWatts: a.ModelCPUTDPWatts}
	c.Reg, _ = reg.Lookup(a.Backend)
	c.Block = backendBlock(c.Reg, v.GetAttr(c.Reg.Name))
	var err error
	if c.Device, c.DeviceID, err = parseDevice(a.Device); err != nil {
		return nil, err
	}
	c.DeviceClass = "gpu"
	if c.Device == "cpu" {
		c.DeviceClass = "cpu"
	}
	if c.Model, err = engine.ArtifactFromValue(a.Model); err != nil {
		return nil, fmt.Errorf("model: %w", err)
	}
	c.ModelName = modelName(c.Model)
	if c.Scenarios, err = parseScenarios(a.Scenarios); err != nil {
		return nil, err
	}
	for _, m := range a.Modes {
		c.Modes = append(c.Modes, backends.Mode(m))
	}
	c.Timeout, _ = parseDuration(a.Timeout)
	c.MinEnergyWindow, _ = parseDuration(a.MinEnergyWindow)
	c.IdleBaseline, _ = parseDuration(a.IdleBaseline)
	c.Label = stageName
	if a.Label != nil && *a.Label != "" {
		c.Label = *a.Label
	}
	return c, nil
}

// maxLabel bounds a label's length: it names a backend in tables and
// figures.
const maxLabel = 200

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
