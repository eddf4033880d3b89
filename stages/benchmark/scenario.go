package benchmark

import (
	"fmt"

	"github.com/zclconf/go-cty/cty"

	"github.com/tr119/tr119/schema"
)

// DefaultPadMargin is a scenario's default padding margin: padded length
// = the set's longest tokenized prompt + pad_margin.
const DefaultPadMargin = 2

// ScenarioBlock is the `scenario "NAME" { prompts = [...] batch_size = N
// pad_margin = M }` data block.
type ScenarioBlock struct{}

// NewScenarioBlock returns the scenario data block kind.
func NewScenarioBlock() ScenarioBlock { return ScenarioBlock{} }

// BlockName implements engine.BlockKind.
func (ScenarioBlock) BlockName() string { return "scenario" }

// MaxPrompt bounds a scenario prompt's length in characters.
const MaxPrompt = 1 << 16

// Schema implements engine.BlockKind. Its defaults are filled at decoding
// (SpecDefault): the benchmark's key has always held them.
func (ScenarioBlock) Schema() *schema.Body {
	return &schema.Body{Attrs: []*schema.Attr{
		{Name: "prompts", Type: cty.List(cty.String), Required: true, MinItems: 1, MaxLen: MaxPrompt,
			Doc: "The prompts of one request batch set; each is tokenized and padded to the set's longest."},
		{Name: "batch_size", Type: cty.Number, Default: cty.NumberIntVal(1), SpecDefault: true, Integer: true,
			Min: schema.Float(1), Max: schema.Float(1 << 16), Doc: "Sequences per request: the prompts are repeated to fill the batch."},
		{Name: "pad_margin", Type: cty.Number, Default: cty.NumberIntVal(DefaultPadMargin), SpecDefault: true, Integer: true,
			Min: schema.Float(0), Max: schema.Float(1 << 16), Doc: "Padded length = the set's longest tokenized prompt + pad_margin."},
	}}
}

// scenario is a decoded scenario block.
type scenario struct {
	Name      string
	Prompts   []string
	BatchSize int
	PadMargin int
}

// parseScenarios reads the `scenarios` attribute: a list or tuple of
// scenario objects (scenario.NAME references).
func parseScenarios(v cty.Value) ([]scenario, error) {
	if v.IsNull() || !v.IsKnown() || !(v.Type().IsListType() || v.Type().IsTupleType()) {
		return nil, fmt.Errorf("scenarios: want a list of scenario references")
	}
	var out []scenario
	seen := map[string]bool{}
	for i, it := 0, v.ElementIterator(); it.Next(); i++ {
		_, e := it.Element()
		s, err := parseScenario(e)
		if err != nil {
			return nil, fmt.Errorf("scenarios[%d]: %w", i, err)
		}
		if seen[s.Name] {
			return nil, fmt.Errorf("scenarios[%d]: scenario %q listed twice", i, s.Name)
		}
		seen[s.Name] = true
		out = append(out, s)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("scenarios: empty list")
	}
	return out, nil
}

func parseScenario(v cty.Value) (scenario, error) {
	var s scenario
	if v.IsNull() || !v.Type().IsObjectType() {
		return s, fmt.Errorf("want a scenario reference, got %s", v.Type().FriendlyName())
	}
	for _, a := range []string{"name", "prompts", "batch_size", "pad_margin"} {
		if !v.Type().HasAttribute(a) {
			return s, fmt.Errorf("want a scenario reference: attribute %q missing", a)
		}
	}
	name, err := str(v.GetAttr("name"))
	if err != nil {
		return s, fmt.Errorf("name: %w", err)
	}
	s.Name = name
	ps := v.GetAttr("prompts")
	if ps.IsNull() || !ps.CanIterateElements() {
		return s, fmt.Errorf("scenario %q: prompts: want a list of strings", name)
	}
	for it := ps.ElementIterator(); it.Next(); {
		_, p := it.Element()
		x, err := str(p)
		if err != nil {
			return s, fmt.Errorf("scenario %q: prompts: %w", name, err)
		}
		if x == "" {
			return s, fmt.Errorf("scenario %q: prompts[%d] is empty: a prompt needs at least one token", name, len(s.Prompts))
		}
		s.Prompts = append(s.Prompts, x)
	}
	if len(s.Prompts) == 0 {
		return s, fmt.Errorf("scenario %q: prompts: empty list: give at least one prompt", name)
	}
	if s.BatchSize, err = intAttr(v.GetAttr("batch_size"), 1, 1<<16); err != nil {
		return s, fmt.Errorf("scenario %q: batch_size: %w", name, err)
	}
	if s.PadMargin, err = intAttr(v.GetAttr("pad_margin"), 0, 1<<16); err != nil {
		return s, fmt.Errorf("scenario %q: pad_margin: %w", name, err)
	}
	return s, nil
}
