package checks

import (
	"fmt"
	"math"
)

// CostCell is a priced cell's physical quantities (cost_cells/v1); NaN is
// missing.
type CostCell struct {
	Backend, Scenario, Mode      string
	Seconds, PowerW, KWh, Carbon float64
}

// CostTier is a cell's cost in one tier (cost_cell_tiers/v1).
type CostTier struct {
	Backend, Scenario, Mode, Tier string
	USDPerHour                    float64
	Infra, Energy, Total          float64
}

// Factors are the declared conversion factors; NaN when not declared
// (then the checks only demand one factor across all cells).
type Factors struct {
	USDPerKWh, CarbonGPerKWh float64
}

// tierOrder is the expected price order, cheapest first (report 6.3:
// spot <= reserved <= on-demand, where configured).
var tierOrder = []string{"spot", "reserved_3y", "reserved_1y", "on_demand"}

const relTol = 1e-9

func near(a, b float64) bool { return math.Abs(a-b) <= relTol*math.Max(math.Abs(a), math.Abs(b)) }

// Costs checks priced cells: no negative or missing cost where throughput
// exists, tier order where configured, and energy, power and carbon
// consistent with one another and with the factors.
func Costs(cells []CostCell, tiers []CostTier, fx Factors) []Finding {
	var out []Finding
	f := func(check, sev, b, s, m, msg string, v float64) {
		out = append(out, Finding{Check: check, Severity: sev, Backend: b, Scenario: s, Mode: m, Message: msg, Value: v})
	}
	hasEnergy := map[[3]string]bool{}
	carbonPerKWh := fx.CarbonGPerKWh
	for _, c := range cells {
		k := [3]string{c.Backend, c.Scenario, c.Mode}
		if math.IsNaN(c.Seconds) || c.Seconds <= 0 {
			f("cost_missing", Fail, c.Backend, c.Scenario, c.Mode, fmt.Sprintf("seconds_per_1m is %v", c.Seconds), c.Seconds)
			continue
		}
		if math.IsNaN(c.KWh) {
			continue
		}
		hasEnergy[k] = true
		if c.KWh < 0 || c.Carbon < 0 {
			f("negative_energy", Fail, c.Backend, c.Scenario, c.Mode, fmt.Sprintf("energy %v kWh/1M, carbon %v g/1M", c.KWh, c.Carbon), c.KWh)
		}
		if want := c.PowerW * c.Seconds / 3.6e6; !near(c.KWh, want) {
			f("energy_power_consistency", Fail, c.Backend, c.Scenario, c.Mode, fmt.Sprintf("energy %g kWh/1M != power %g W x %g s / 3.6e6", c.KWh, c.PowerW, c.Seconds), c.KWh/want)
		}
		if c.KWh > 0 {
			ratio := c.Carbon / c.KWh
			if math.IsNaN(carbonPerKWh) {
				carbonPerKWh = ratio
			}
			if !near(ratio, carbonPerKWh) {
				f("carbon_factor", Fail, c.Backend, c.Scenario, c.Mode, fmt.Sprintf("carbon / energy = %g g/kWh, want %g", ratio, carbonPerKWh), ratio)
			}
		}
	}
	byCell := map[[3]string]map[string]float64{}
	usdPerKWh := fx.USDPerKWh
	for _, t := range tiers {
		k := [3]string{t.Backend, t.Scenario, t.Mode}
		switch {
		case math.IsNaN(t.Infra) || t.Infra < 0:
			f("cost_negative_or_missing", Fail, t.Backend, t.Scenario, t.Mode, fmt.Sprintf("tier %s: infra cost %v", t.Tier, t.Infra), t.Infra)
		case hasEnergy[k] && (math.IsNaN(t.Total) || t.Total < 0):
			f("cost_negative_or_missing", Fail, t.Backend, t.Scenario, t.Mode, fmt.Sprintf("tier %s: total cost %v with energy measured", t.Tier, t.Total), t.Total)
		}
		if !math.IsNaN(t.Total) {
			if byCell[k] == nil {
				byCell[k] = map[string]float64{}
			}
			byCell[k][t.Tier] = t.USDPerHour
		}
		if hasEnergy[k] && !math.IsNaN(t.Energy) && !math.IsNaN(t.Total) && !near(t.Infra+t.Energy, t.Total) {
			f("cost_sum", Fail, t.Backend, t.Scenario, t.Mode, fmt.Sprintf("tier %s: infra %g + energy %g != total %g", t.Tier, t.Infra, t.Energy, t.Total), t.Total)
		}
		if t.Tier == "energy_only" && hasEnergy[k] {
			if math.IsNaN(usdPerKWh) {
				usdPerKWh = t.Energy / kwhOf(cells, k)
			}
			if want := kwhOf(cells, k) * usdPerKWh; !near(t.Energy, want) {
				f("energy_price", Fail, t.Backend, t.Scenario, t.Mode, fmt.Sprintf("energy cost %g $/1M, want kWh x %g $/kWh = %g", t.Energy, usdPerKWh, want), t.Energy)
			}
		}
	}
	for k, rates := range byCell {
		prev, prevTier := -1.0, ""
		for _, tier := range tierOrder {
			r, ok := rates[tier]
			if !ok {
				continue
			}
			if prev > r {
				f("tier_order", Warn, k[0], k[1], k[2], fmt.Sprintf("%s ($%g/h) costs more than %s ($%g/h)", prevTier, prev, tier, r), prev)
			}
			prev, prevTier = r, tier
		}
	}
	Sort(out)
	return out
}

func kwhOf(cells []CostCell, k [3]string) float64 {
	for _, c := range cells {
		if c.Backend == k[0] && c.Scenario == k[1] && c.Mode == k[2] {
			return c.KWh
		}
	}
	return nan
}
