package cost

import (
	"fmt"
	"slices"
	"sort"

	"github.com/zclconf/go-cty/cty"

	acost "github.com/tr119/tr119/analysis/cost"
	"github.com/tr119/tr119/analysis/runs"
	"github.com/tr119/tr119/engine"
	"github.com/tr119/tr119/schema"
	aio "github.com/tr119/tr119/stages/internal/analysisio"
)

// Defaults: the report's request mix (4.4) and TCO volume (A.2).
const (
	defaultPromptTokens   = 256
	defaultGenerateTokens = 128
	defaultTokensPerMonth = 1e9
	defaultMonths         = 12
)

// GenerationModes are the benchmark modes that can price generated
// tokens.
var GenerationModes = []string{"generate", "decode"}

// bodySchema is the cost body. The standard tiers (acost.StandardTiers)
// may be written directly in the pricing block; other tiers are
// `tier "NAME" { usd_per_hour = ... }` blocks inside it. (A block of
// free-form attributes decodes to a cty map, whose elements must share a
// type: a number beside a per-class map would not decode.)
func bodySchema() *schema.Body {
	pricing := &schema.Body{
		Blocks: []*schema.Block{{Name: "tier", Nesting: schema.Map, Doc: "A tier of your own, named by the label.",
			Body: &schema.Body{Attrs: []*schema.Attr{
				aio.PerClassAttr("usd_per_hour", true, 0, "The tier's price per device hour."),
			}}}},
	}
	for _, t := range acost.StandardTiers {
		pricing.Attrs = append(pricing.Attrs, aio.PerClassAttr(t, false, 0, "The "+t+" price per device hour."))
	}
	num := func(name string, def float64, doc string) *schema.Attr {
		return &schema.Attr{Name: name, Type: cty.Number, Default: cty.NumberFloatVal(def), Min: schema.Float(0), Doc: doc}
	}
	whole := func(a *schema.Attr) *schema.Attr { a.Integer, a.Max = true, schema.Float(1e15); return a }
	return &schema.Body{
		Attrs: []*schema.Attr{
			nonEmpty(engine.ArtifactListAttr("runs", true, "The benchmark runs to price: stage.benchmark.NAME.runs, ... or an import's table.")),
			{Name: "weights", Type: cty.Map(cty.Number), Min: schema.Float(0),
				Doc: "Workload mix by scenario; scenarios left out weigh 0. By default every scenario weighs the same."},
			{Name: "aggregate", Type: cty.String, Default: cty.StringVal(acost.AggregateTime),
				OneOf: []string{acost.AggregateTime, acost.AggregateArithmetic},
				Doc:   "How scenarios combine: total tokens over total time, or the mean of per-scenario costs."},
			aio.PolicyAttr(),
			aio.BasisAttr(),
			{Name: "reference_tier", Type: cty.String,
				Doc: "The tier savings are measured against; by default on_demand when priced, else the first tier."},
			{Name: "headline_tier", Type: cty.String,
				Doc: "The tier stats, plot and report rank and recommend on; by default on_demand when priced, else the only priced tier; required otherwise."},
			aio.ConfidenceAttr(),
		},
		Blocks: []*schema.Block{
			{Name: "pricing", Body: pricing, Doc: "Cloud prices per device hour by tier."},
			{Name: "local", Doc: "An owned machine, priced as the \"local\" tier.", Body: &schema.Body{Attrs: []*schema.Attr{
				aio.PerClassAttr("hardware_usd", true, 0, "The purchase price."),
				positive(aio.PerClassAttr("lifetime_years", true, 0, "Years the hardware is written off over (> 0).")),
				utilisation(aio.PerClassAttr("utilisation", true, 0, "The busy share of its hours, above 0 and at most 1.")),
				aio.PerClassAttr("maintenance_usd_per_year", false, 0, "Yearly upkeep."),
			}}},
			{Name: "energy", Required: true, Doc: "Energy price and grid carbon intensity.", Body: &schema.Body{Attrs: []*schema.Attr{
				{Name: "usd_per_kwh", Type: cty.Number, Required: true, Min: schema.Float(0), Doc: "Electricity price in USD per kWh."},
				{Name: "carbon_g_per_kwh", Type: cty.Number, Required: true, Min: schema.Float(0), Doc: "Grid carbon intensity in grams CO2e per kWh."},
			}}},
			{Name: "request", Doc: "The request mix priced per request.", Body: &schema.Body{Attrs: []*schema.Attr{
				whole(num("prompt_tokens", defaultPromptTokens, "Prompt tokens per request.")),
				whole(num("generate_tokens", defaultGenerateTokens, "Generated tokens per request.")),
				{Name: "generation_mode", Type: cty.String, Default: cty.StringVal("generate"), OneOf: GenerationModes,
					Doc: "The benchmark mode whose cost prices generated tokens (uncached loop or KV-cached decode); at least one benchmark this stage reads must measure it (checked at validate)."},
			}}},
			{Name: "tco", Doc: "The total cost of ownership volume.", Body: &schema.Body{Attrs: []*schema.Attr{
				num("tokens_per_month", defaultTokensPerMonth, "Tokens (prompt + generated) per month."),
				num("months", defaultMonths, "Months the TCO covers."),
			}}},
		},
		Rules: []schema.Rule{
			{Doc: "Every per-class price names every device class that any price names.", Check: classesRule},
			{Doc: "weights, when given, are not all zero.", Check: weightsRule},
			{Doc: "reference_tier is a priced tier.", Check: referenceRule},
			{Doc: "headline_tier is a priced tier, and given when several tiers are priced but no on_demand.", Check: headlineRule},
		},
	}
}

func nonEmpty(a *schema.Attr) *schema.Attr { a.MinItems = 1; return a }

func positive(a *schema.Attr) *schema.Attr {
	a.Check = func(v cty.Value) error {
		if err := aio.CheckPerClass(v); err != nil {
			return err
		}
		return eachNumber(v, func(f float64) error {
			if f <= 0 {
				return fmt.Errorf("%g: want a value above 0", f)
			}
			return nil
		})
	}
	return a
}

func utilisation(a *schema.Attr) *schema.Attr {
	a.Check = func(v cty.Value) error {
		if err := aio.CheckPerClass(v); err != nil {
			return err
		}
		return eachNumber(v, func(f float64) error {
			if f <= 0 || f > 1 {
				return fmt.Errorf("%g: want a share above 0 and at most 1 (0.5 is half the hours)", f)
			}
			return nil
		})
	}
	return a
}

// eachNumber calls f on a number or on each number of a map.
func eachNumber(v cty.Value, f func(float64) error) error {
	all, by, err := aio.NumberOrMap(v, "value")
	if err != nil {
		return err
	}
	if by == nil {
		return f(all)
	}
	keys := make([]string, 0, len(by))
	for k := range by {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if err := f(by[k]); err != nil {
			return schema.Errorf(cty.GetAttrPath(k), "Value out of range", "%s: %s", k, err.Error())
		}
	}
	return nil
}

// perClassValues lists the known per-class values of the body with their
// paths: pricing tiers and the local block's attributes.
func perClassValues(v cty.Value) (paths []cty.Path, vals []cty.Value) {
	add := func(p cty.Path, x cty.Value) {
		if x.IsKnown() && !x.IsNull() {
			paths, vals = append(paths, p), append(vals, x)
		}
	}
	if p, ok := schema.Known(v, "pricing"); ok {
		for _, t := range acost.StandardTiers {
			if p.Type().HasAttribute(t) {
				add(cty.GetAttrPath("pricing").GetAttr(t), p.GetAttr(t))
			}
		}
		if tiers := p.GetAttr("tier"); tiers.IsKnown() && !tiers.IsNull() {
			for _, name := range aio.SortedKeys(tiers) {
				add(cty.GetAttrPath("pricing").GetAttr("tier").Index(cty.StringVal(name)).GetAttr("usd_per_hour"),
					tiers.GetAttr(name).GetAttr("usd_per_hour"))
			}
		}
	}
	if l, ok := schema.Known(v, "local"); ok {
		for _, n := range []string{"hardware_usd", "lifetime_years", "utilisation", "maintenance_usd_per_year"} {
			add(cty.GetAttrPath("local").GetAttr(n), l.GetAttr(n))
		}
	}
	return paths, vals
}

// classesRule: a per-class map that lacks a device class another map
// names would leave that class unpriced at apply, after the benchmarks ran.
func classesRule(v cty.Value) []*schema.PathError {
	paths, vals := perClassValues(v)
	seen := map[string]string{} // class -> first path naming it
	for i, x := range vals {
		for _, k := range aio.ClassKeys(x) {
			if _, ok := seen[k]; !ok {
				seen[k] = schema.FormatPath(paths[i])
			}
		}
	}
	var errs []*schema.PathError
	for i, x := range vals {
		keys := aio.ClassKeys(x)
		if keys == nil {
			continue
		}
		for _, class := range aio.DeviceClasses {
			if first, ok := seen[class]; ok && !slices.Contains(keys, class) {
				errs = append(errs, schema.Errorf(paths[i], "Missing device class",
					"%s has no %q price, but %s names that class. Add %s = ..., or use one number for every class.",
					schema.FormatPath(paths[i]), class, first, class))
			}
		}
	}
	return errs
}

func weightsRule(v cty.Value) []*schema.PathError {
	w, ok := schema.Known(v, "weights")
	if !ok {
		return nil
	}
	for it := w.ElementIterator(); it.Next(); {
		_, x := it.Element()
		if x.AsBigFloat().Sign() > 0 {
			return nil
		}
	}
	return []*schema.PathError{schema.Errorf(cty.GetAttrPath("weights"), "No workload weight",
		"weights must give at least one scenario a weight above 0 (or leave weights out to weigh every scenario the same).")}
}

// headlineRule resolves headline_tier as the cost stage will
// (acost.ResolveHeadlineTier), at validate time: declaration order is not
// part of the key, so with several tiers and no on_demand it must be named.
func headlineRule(v cty.Value) []*schema.PathError {
	names, ok := pricedNames(v)
	if !ok {
		return nil
	}
	set := ""
	if v.Type().HasAttribute("headline_tier") {
		x := v.GetAttr("headline_tier")
		if !x.IsKnown() {
			return nil
		}
		if !x.IsNull() {
			set = x.AsString()
		}
	}
	if _, err := acost.ResolveHeadlineTier(names, set); err != nil {
		return []*schema.PathError{schema.Errorf(cty.GetAttrPath("headline_tier"), "Headline tier", "%s", err.Error())}
	}
	return nil
}

// pricedNames lists the tiers the body prices (aio.PricedTiers) with
// energy_only first, as this stage's messages list them, or false while
// the pricing is not yet known.
func pricedNames(v cty.Value) ([]string, bool) {
	tiers, ok := aio.PricedTiers(v)
	if !ok {
		return nil, false
	}
	rest := slices.DeleteFunc(tiers, func(t string) bool { return t == acost.TierEnergyOnly })
	return append([]string{acost.TierEnergyOnly}, rest...), true
}

func referenceRule(v cty.Value) []*schema.PathError {
	ref, ok := schema.Known(v, "reference_tier")
	if !ok {
		return nil
	}
	names, ok := pricedNames(v)
	if !ok {
		return nil
	}
	if slices.Contains(names, ref.AsString()) {
		return nil
	}
	return []*schema.PathError{schema.Errorf(cty.GetAttrPath("reference_tier"), "Unknown tier",
		"%q is not a priced tier (priced: %s).%s", ref.AsString(), schema.QuoteList(names), schema.DidYouMean(ref.AsString(), names))}
}

// body is the decoded stage body.
type body struct {
	Runs          []engine.Artifact  `cty:"runs"`
	Weights       map[string]float64 `cty:"weights"`
	Aggregate     string             `cty:"aggregate"`
	EnergyPolicy  string             `cty:"energy_policy"`
	EnergyBasis   string             `cty:"energy_basis"`
	ReferenceTier *string            `cty:"reference_tier"`
	HeadlineTier  *string            `cty:"headline_tier"`
	Confidence    float64            `cty:"confidence"`
	Pricing       cty.Value          `cty:"pricing"` // per-class values of two shapes: decoded by tiers
	Local         cty.Value          `cty:"local"`
	Energy        struct {
		USDPerKWh     float64 `cty:"usd_per_kwh"`
		CarbonGPerKWh float64 `cty:"carbon_g_per_kwh"`
	} `cty:"energy"`
	Request struct {
		PromptTokens   int64  `cty:"prompt_tokens"`
		GenerateTokens int64  `cty:"generate_tokens"`
		GenerationMode string `cty:"generation_mode"`
	} `cty:"request"`
	TCO struct {
		TokensPerMonth float64 `cty:"tokens_per_month"`
		Months         float64 `cty:"months"`
	} `cty:"tco"`
}

// config is a decoded stage body.
type config struct {
	Runs []engine.Artifact
	Opt  runs.Options
	Cost acost.Config
}

func decode(v cty.Value) (config, error) {
	var b body
	if err := bodySchema().ValidateDecode(v, &b); err != nil {
		return config{}, err
	}
	c := config{Runs: b.Runs, Opt: runs.Options{Policy: b.EnergyPolicy, Basis: b.EnergyBasis}}
	cc := &c.Cost
	var err error
	if cc.Tiers, err = tiers(b.Pricing); err != nil {
		return c, err
	}
	if !b.Local.IsNull() {
		if cc.Local, err = local(b.Local); err != nil {
			return c, err
		}
	}
	cc.USDPerKWh, cc.CarbonGPerKWh = b.Energy.USDPerKWh, b.Energy.CarbonGPerKWh
	cc.Request = acost.Request{PromptTokens: b.Request.PromptTokens, GenerateTokens: b.Request.GenerateTokens,
		GenerationMode: b.Request.GenerationMode}
	cc.TokensPerMonth, cc.Months = b.TCO.TokensPerMonth, b.TCO.Months
	cc.Weights = b.Weights
	cc.Aggregate, cc.Level = b.Aggregate, b.Confidence
	if b.ReferenceTier != nil {
		cc.ReferenceTier = *b.ReferenceTier
	}
	if b.HeadlineTier != nil {
		cc.HeadlineTier = *b.HeadlineTier
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
		if x := p.GetAttr(name); !x.IsNull() {
			if err := add(name, x, "pricing."+name); err != nil {
				return nil, err
			}
		}
	}
	blocks := p.GetAttr("tier")
	for _, name := range aio.SortedKeys(blocks) {
		what := fmt.Sprintf("pricing.tier[%q].usd_per_hour", name)
		if err := add(name, elem(blocks, name).GetAttr("usd_per_hour"), what); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// elem returns an object's attribute or a map's element.
func elem(v cty.Value, key string) cty.Value {
	if v.Type().IsObjectType() {
		return v.GetAttr(key)
	}
	return v.Index(cty.StringVal(key))
}

func local(l cty.Value) (*acost.Local, error) {
	var out acost.Local
	for _, f := range []struct {
		name string
		dst  *acost.PerClass
	}{{"hardware_usd", &out.HardwareUSD}, {"lifetime_years", &out.LifetimeYears},
		{"utilisation", &out.Utilisation}, {"maintenance_usd_per_year", &out.MaintenanceUSDPerYear}} {
		x := l.GetAttr(f.name)
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
