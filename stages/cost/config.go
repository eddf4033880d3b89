package cost

import (
	"fmt"

	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/zclconf/go-cty/cty"

	acost "github.com/tr119/tr119/analysis/cost"
	"github.com/tr119/tr119/analysis/runs"
	"github.com/tr119/tr119/engine"
	aio "github.com/tr119/tr119/stages/internal/analysisio"
)

// spec is the cost body. The standard tiers (acost.StandardTiers) may be
// written directly in the pricing block; other tiers are
// `tier "NAME" { usd_per_hour = ... }` blocks inside it. (A block of
// free-form attributes decodes to a cty map, whose elements must share a
// type: a number beside a per-class map would not decode.)
func spec() hcldec.Spec {
	dyn := func(n string, req bool) hcldec.Spec {
		return &hcldec.AttrSpec{Name: n, Type: cty.DynamicPseudoType, Required: req}
	}
	num := func(n string) hcldec.Spec { return &hcldec.AttrSpec{Name: n, Type: cty.Number} }
	str := func(n string) hcldec.Spec { return &hcldec.AttrSpec{Name: n, Type: cty.String} }
	pricing := hcldec.ObjectSpec{
		"tier": &hcldec.BlockObjectSpec{TypeName: "tier", LabelNames: []string{"name"},
			Nested: hcldec.ObjectSpec{"usd_per_hour": dyn("usd_per_hour", true)}},
	}
	for _, t := range acost.StandardTiers {
		pricing[t] = dyn(t, false)
	}
	return hcldec.ObjectSpec{
		"runs":    &hcldec.AttrSpec{Name: "runs", Type: cty.List(engine.ArtifactType), Required: true},
		"pricing": &hcldec.BlockSpec{TypeName: "pricing", Nested: pricing},
		"local": &hcldec.BlockSpec{TypeName: "local", Nested: hcldec.ObjectSpec{
			"hardware_usd": dyn("hardware_usd", true), "lifetime_years": dyn("lifetime_years", true),
			"utilisation": dyn("utilisation", true), "maintenance_usd_per_year": dyn("maintenance_usd_per_year", false),
		}},
		"energy": &hcldec.BlockSpec{TypeName: "energy", Required: true, Nested: hcldec.ObjectSpec{
			"usd_per_kwh":      &hcldec.AttrSpec{Name: "usd_per_kwh", Type: cty.Number, Required: true},
			"carbon_g_per_kwh": &hcldec.AttrSpec{Name: "carbon_g_per_kwh", Type: cty.Number, Required: true},
		}},
		"request": &hcldec.BlockSpec{TypeName: "request", Nested: hcldec.ObjectSpec{
			"prompt_tokens": num("prompt_tokens"), "generate_tokens": num("generate_tokens"),
			"generation_mode": str("generation_mode"),
		}},
		"tco": &hcldec.BlockSpec{TypeName: "tco", Nested: hcldec.ObjectSpec{
			"tokens_per_month": num("tokens_per_month"), "months": num("months"),
		}},
		"weights":        &hcldec.AttrSpec{Name: "weights", Type: cty.Map(cty.Number)},
		"aggregate":      str("aggregate"),
		"energy_policy":  str("energy_policy"),
		"energy_basis":   str("energy_basis"),
		"reference_tier": str("reference_tier"),
		"confidence":     num("confidence"),
		"headline_tier":  str("headline_tier"), // default: acost.ResolveHeadlineTier
	}
}

// config is a decoded stage body.
type config struct {
	Runs []engine.Artifact
	Opt  runs.Options
	Cost acost.Config
}

// Defaults: the report's request mix (4.4) and TCO volume (A.2).
const (
	defaultPromptTokens   = 256
	defaultGenerateTokens = 128
	defaultTokensPerMonth = 1e9
	defaultMonths         = 12
)

func decode(v cty.Value) (config, error) {
	var c config
	var err error
	if c.Runs, err = aio.Artifacts(aio.Attr(v, "runs"), "runs"); err != nil {
		return c, err
	}
	if c.Opt.Policy, err = aio.String(v, "energy_policy", runs.PolicyDominant); err != nil {
		return c, err
	}
	if c.Opt.Basis, err = aio.String(v, "energy_basis", runs.BasisTotal); err != nil {
		return c, err
	}
	cc := &c.Cost
	if cc.Tiers, err = tiers(aio.Attr(v, "pricing")); err != nil {
		return c, err
	}
	if l := aio.Attr(v, "local"); !l.IsNull() {
		if cc.Local, err = local(l); err != nil {
			return c, err
		}
	}
	e := aio.Attr(v, "energy")
	if cc.USDPerKWh, err = aio.Number(e, "usd_per_kwh", 0); err != nil {
		return c, fmt.Errorf("energy.%w", err)
	}
	if cc.CarbonGPerKWh, err = aio.Number(e, "carbon_g_per_kwh", 0); err != nil {
		return c, fmt.Errorf("energy.%w", err)
	}
	rq := aio.Attr(v, "request")
	p, err1 := aio.Number(rq, "prompt_tokens", defaultPromptTokens)
	g, err2 := aio.Number(rq, "generate_tokens", defaultGenerateTokens)
	gm, err3 := aio.String(rq, "generation_mode", "generate")
	if err := firstErr(err1, err2, err3); err != nil {
		return c, fmt.Errorf("request.%w", err)
	}
	if p != float64(int64(p)) || g != float64(int64(g)) {
		return c, fmt.Errorf("request: prompt_tokens and generate_tokens must be whole numbers")
	}
	cc.Request = acost.Request{PromptTokens: int64(p), GenerateTokens: int64(g), GenerationMode: gm}
	t := aio.Attr(v, "tco")
	cc.TokensPerMonth, err1 = aio.Number(t, "tokens_per_month", defaultTokensPerMonth)
	cc.Months, err2 = aio.Number(t, "months", defaultMonths)
	if err := firstErr(err1, err2); err != nil {
		return c, fmt.Errorf("tco.%w", err)
	}
	if w := aio.Attr(v, "weights"); !w.IsNull() {
		cc.Weights = map[string]float64{}
		for _, k := range aio.SortedKeys(w) {
			cc.Weights[k], _ = w.Index(cty.StringVal(k)).AsBigFloat().Float64()
		}
	}
	cc.Aggregate, err1 = aio.String(v, "aggregate", acost.AggregateTime)
	cc.ReferenceTier, err2 = aio.String(v, "reference_tier", "")
	cc.Level, err3 = aio.Number(v, "confidence", 0.95)
	if err := firstErr(err1, err2, err3); err != nil {
		return c, err
	}
	if cc.Level <= 0 || cc.Level >= 1 {
		return c, fmt.Errorf("confidence: %v: want a level between 0 and 1, e.g. 0.95", cc.Level)
	}
	if cc.HeadlineTier, err = aio.String(v, "headline_tier", ""); err != nil {
		return c, err
	}
	return c, nil
}

// tiers decodes the pricing block: standard tiers as attributes, others as
// tier blocks.
func tiers(p cty.Value) ([]acost.Tier, error) {
	if p.IsNull() {
		return nil, nil
	}
	var out []acost.Tier
	add := func(name string, x cty.Value, what string) error {
		all, by, err := aio.NumberOrMap(x, what)
		if err != nil {
			return err
		}
		out = append(out, acost.Tier{Name: name, All: all, ByClass: by})
		return nil
	}
	for _, name := range acost.StandardTiers {
		if x := aio.Attr(p, name); !x.IsNull() {
			if err := add(name, x, "pricing."+name); err != nil {
				return nil, err
			}
		}
	}
	blocks := aio.Attr(p, "tier")
	for _, name := range aio.SortedKeys(blocks) {
		what := fmt.Sprintf("pricing.tier[%q].usd_per_hour", name)
		if err := add(name, aio.Attr(blocks.GetAttr(name), "usd_per_hour"), what); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func local(l cty.Value) (*acost.Local, error) {
	var out acost.Local
	for _, f := range []struct {
		name string
		dst  *acost.PerClass
	}{{"hardware_usd", &out.HardwareUSD}, {"lifetime_years", &out.LifetimeYears},
		{"utilisation", &out.Utilisation}, {"maintenance_usd_per_year", &out.MaintenanceUSDPerYear}} {
		x := aio.Attr(l, f.name)
		if x.IsNull() {
			continue
		}
		all, by, err := aio.NumberOrMap(x, "local."+f.name)
		if err != nil {
			return nil, err
		}
		*f.dst = acost.PerClass{All: all, ByClass: by}
	}
	return &out, nil
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}
