package cost

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// Aggregation rules across scenarios.
const (
	AggregateTime       = "time"
	AggregateArithmetic = "arithmetic"
)

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
	// HeadlineTier is the tier every consumer (stats, plot, report) ranks
	// and recommends on; see ResolveHeadlineTier for its default.
	HeadlineTier string
}

// ResolveHeadlineTier returns the headline tier among the declared tier
// names (energy_only included or not): headline when set (it must be
// declared), else on_demand when declared, else the only declared priced
// tier, else energy_only when nothing is priced. With several tiers and no
// on_demand it is an error: declaration order is not part of the action
// key, so it cannot choose.
func ResolveHeadlineTier(declared []string, headline string) (string, error) {
	names := slices.DeleteFunc(slices.Clone(declared), func(n string) bool { return n == TierEnergyOnly })
	all := append(slices.Clone(names), TierEnergyOnly)
	switch {
	case headline != "":
		if !slices.Contains(all, headline) {
			return "", fmt.Errorf("headline_tier %q is not a priced tier (tiers: %s)", headline, strings.Join(all, ", "))
		}
		return headline, nil
	case slices.Contains(names, "on_demand"):
		return "on_demand", nil
	case len(names) == 1:
		return names[0], nil
	case len(names) == 0:
		return TierEnergyOnly, nil
	}
	slices.Sort(names)
	return "", fmt.Errorf("headline_tier is required when no on_demand tier is declared (tiers: %s): "+
		"it names the tier the rankings and the report's recommendation use", strings.Join(names, ", "))
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
	names := make([]string, len(cfg.Tiers))
	for i, t := range cfg.Tiers {
		names[i] = t.Name
	}
	if cfg.HeadlineTier, err = ResolveHeadlineTier(names, cfg.HeadlineTier); err != nil {
		return cfg, err
	}
	return cfg, nil
}
