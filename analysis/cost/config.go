package cost

import (
	"fmt"
	"math"
	"slices"
)

// Names of the built-in tiers, in output order before user tiers.
var standardTiers = []string{"on_demand", "spot", "reserved_1y", "reserved_3y"}

// Tier names with a fixed meaning.
const (
	TierLocal      = "local"
	TierEnergyOnly = "energy_only"
)

// HoursPerYear converts annual amounts to hourly ones (365 days).
const HoursPerYear = 8760

// Aggregation rules across scenarios.
const (
	AggregateTime       = "time"
	AggregateArithmetic = "arithmetic"
)

// Tier is an hourly price, either one for every device class (All) or
// one per class (ByClass, e.g. {"gpu": 1.006, "cpu": 0.17}).
type Tier struct {
	Name    string
	All     float64
	ByClass map[string]float64
}

// Rate is the tier's USD per hour for a device class.
func (t Tier) Rate(class string) (float64, error) {
	if t.ByClass == nil {
		return t.All, nil
	}
	r, ok := t.ByClass[class]
	if !ok {
		return 0, fmt.Errorf("pricing tier %q has no price for device class %q", t.Name, class)
	}
	return r, nil
}

// PerClass is a value for every device class (ByClass nil: All) or one
// per class.
type PerClass struct {
	All     float64
	ByClass map[string]float64
}

// For returns the value for a device class and whether there is one.
func (p PerClass) For(class string) (float64, bool) {
	if p.ByClass == nil {
		return p.All, true
	}
	v, ok := p.ByClass[class]
	return v, ok
}

// Local is an owned machine: its price amortised over its lifetime at a
// utilisation, plus yearly maintenance (optional; zero value: none).
// Electricity is added like in every tier.
type Local struct {
	HardwareUSD, LifetimeYears, Utilisation, MaintenanceUSDPerYear PerClass
}

// Tier converts the local machine into an hourly tier for the given
// device classes: (hardware/lifetime + maintenance) / (8760 h * utilisation).
func (l Local) Tier(classes []string) (Tier, error) {
	t := Tier{Name: TierLocal, ByClass: map[string]float64{}}
	for _, class := range classes {
		var v [4]float64
		for i, f := range []struct {
			name string
			p    PerClass
		}{{"hardware_usd", l.HardwareUSD}, {"lifetime_years", l.LifetimeYears}, {"utilisation", l.Utilisation}, {"maintenance_usd_per_year", l.MaintenanceUSDPerYear}} {
			x, ok := f.p.For(class)
			if !ok && i < 3 {
				return Tier{}, fmt.Errorf("local tier: %s has no value for device class %q", f.name, class)
			}
			v[i] = x
		}
		hw, life, util, maint := v[0], v[1], v[2], v[3]
		if hw < 0 || life <= 0 || util <= 0 || util > 1 || maint < 0 {
			return Tier{}, fmt.Errorf("local tier: device class %q: want hardware_usd >= 0, lifetime_years > 0, 0 < utilisation <= 1, maintenance_usd_per_year >= 0", class)
		}
		t.ByClass[class] = (hw/life + maint) / (HoursPerYear * util)
	}
	return t, nil
}

// Request is the request mix priced at request level.
type Request struct {
	PromptTokens, GenerateTokens int64
	// GenerationMode is the mode whose aggregate prices the generated
	// tokens: "generate" (the report's uncached loop) or "decode".
	GenerationMode string
}

// Config is the cost model's input besides the cells.
type Config struct {
	// Tiers are the priced tiers; Analyse orders them (standard tiers,
	// user tiers sorted, local) and appends energy_only.
	Tiers []Tier
	// Local, when set, adds the "local" tier for the cells' device classes.
	Local *Local
	// USDPerKWh and CarbonGPerKWh convert energy to dollars and grams.
	USDPerKWh, CarbonGPerKWh float64
	Request                  Request
	// TokensPerMonth (prompt + generated) and Months size the TCO.
	TokensPerMonth, Months float64
	// Weights is an optional workload mix by scenario; nil weighs every
	// scenario equally. Scenarios absent from it get weight 0.
	Weights map[string]float64
	// Aggregate is AggregateTime (default) or AggregateArithmetic.
	Aggregate string
	// ReferenceTier is what savings_vs_reference compares with; default
	// on_demand when declared, else the first tier.
	ReferenceTier string
	// Level is the confidence level of the CIs; default 0.95.
	Level float64
}

// normalise checks cfg and returns it with defaults and ordered tiers.
func (cfg Config) normalise() (Config, error) {
	if cfg.Aggregate == "" {
		cfg.Aggregate = AggregateTime
	}
	if cfg.Aggregate != AggregateTime && cfg.Aggregate != AggregateArithmetic {
		return cfg, fmt.Errorf("aggregate %q: want %q or %q", cfg.Aggregate, AggregateTime, AggregateArithmetic)
	}
	if cfg.Level == 0 {
		cfg.Level = 0.95
	}
	if cfg.Request.GenerationMode == "" {
		cfg.Request.GenerationMode = "generate"
	}
	if m := cfg.Request.GenerationMode; m != "generate" && m != "decode" {
		return cfg, fmt.Errorf("request generation_mode %q: want \"generate\" or \"decode\"", m)
	}
	if cfg.Request.PromptTokens < 0 || cfg.Request.GenerateTokens < 0 {
		return cfg, fmt.Errorf("request tokens must be >= 0")
	}
	for _, v := range []float64{cfg.USDPerKWh, cfg.CarbonGPerKWh, cfg.TokensPerMonth, cfg.Months} {
		if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
			return cfg, fmt.Errorf("energy, carbon and tco inputs must be finite and >= 0, got %v", v)
		}
	}
	for s, w := range cfg.Weights {
		if w < 0 || math.IsNaN(w) {
			return cfg, fmt.Errorf("weight of scenario %q is %v: want >= 0", s, w)
		}
	}
	tiers, err := orderTiers(cfg.Tiers)
	if err != nil {
		return cfg, err
	}
	cfg.Tiers = append(tiers, Tier{Name: TierEnergyOnly})
	if cfg.ReferenceTier == "" {
		cfg.ReferenceTier = cfg.Tiers[0].Name
		if slices.ContainsFunc(cfg.Tiers, func(t Tier) bool { return t.Name == "on_demand" }) {
			cfg.ReferenceTier = "on_demand"
		}
	}
	if !slices.ContainsFunc(cfg.Tiers, func(t Tier) bool { return t.Name == cfg.ReferenceTier }) {
		return cfg, fmt.Errorf("reference tier %q is not declared", cfg.ReferenceTier)
	}
	return cfg, nil
}

// orderTiers puts the standard tiers first (in their order), then user
// tiers by name, then local; names must be unique and rates >= 0.
func orderTiers(in []Tier) ([]Tier, error) {
	rank := func(name string) int {
		if i := slices.Index(standardTiers, name); i >= 0 {
			return i
		}
		if name == TierLocal {
			return len(standardTiers) + 1
		}
		return len(standardTiers)
	}
	out := slices.Clone(in)
	seen := map[string]bool{}
	for _, t := range out {
		if seen[t.Name] || t.Name == TierEnergyOnly || t.Name == "" {
			return nil, fmt.Errorf("pricing tier %q: duplicate or reserved name", t.Name)
		}
		seen[t.Name] = true
		rates := []float64{t.All}
		for _, r := range t.ByClass {
			rates = append(rates, r)
		}
		for _, r := range rates {
			if r < 0 || math.IsNaN(r) || math.IsInf(r, 0) {
				return nil, fmt.Errorf("pricing tier %q: price %v: want finite and >= 0", t.Name, r)
			}
		}
	}
	slices.SortStableFunc(out, func(a, b Tier) int {
		if ra, rb := rank(a.Name), rank(b.Name); ra != rb {
			return ra - rb
		}
		if a.Name < b.Name {
			return -1
		}
		if a.Name > b.Name {
			return 1
		}
		return 0
	})
	return out, nil
}
