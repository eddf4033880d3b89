package cost

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/tr119/tr119/artifacts"
)

// Summary is one row of cost_summary/v1: a backend's cells of one mode
// aggregated across scenarios and priced in one tier.
type Summary struct {
	Mode, Backend, Tier, DeviceClass, Aggregate string
	Scenarios                                   int
	Seconds, EffectiveThroughput, PowerW        float64
	KWh, Carbon                                 float64
	USDPerHour, Infra, Energy, Total            float64
	EnergyShare, Multiple                       float64
	Rank                                        int
	RankBasis                                   string
}

// agg is a backend x mode aggregate before pricing.
type agg struct {
	mode, backend, class string
	scenarios            int
	seconds, kwh, power  float64
}

// aggregate combines each backend x mode's cells (with counted rows)
// across scenarios with normalised weights. Time: mean seconds and mean
// kWh per 1M, power = kWh*3.6e6/seconds (the report's 5.1 note).
// Arithmetic: mean throughput and mean power, seconds = 1e6/throughput
// (the report's request tables). Energy is NaN when any cell lacks it.
func aggregate(cells []Cell, cfg Config) ([]agg, error) {
	type key struct{ mode, backend string }
	groups := map[key][]int{}
	var keys []key
	for i := range cells {
		k := key{cells[i].Mode, cells[i].Backend}
		if _, ok := groups[k]; !ok {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], i)
	}
	var out []agg
	for _, k := range keys {
		a := agg{mode: k.mode, backend: k.backend}
		var wsum, sec, kwh, thr, pow float64
		for _, i := range groups[k] {
			c := &cells[i]
			w := 1.0
			if cfg.Weights != nil {
				w = cfg.Weights[c.Scenario]
			}
			if w == 0 || c.N == 0 {
				continue
			}
			if a.class == "" {
				a.class = c.DeviceClass
			} else if a.class != c.DeviceClass {
				return nil, fmt.Errorf("backend %q mode %q mixes device classes %q and %q", k.backend, k.mode, a.class, c.DeviceClass)
			}
			a.scenarios++
			wsum += w
			sec += w * c.Seconds.Mean
			kwh += w * c.KWh.Mean
			thr += w * c.Throughput.Mean
			pow += w * c.PowerW
		}
		if a.scenarios == 0 {
			continue
		}
		if cfg.Aggregate == AggregateArithmetic {
			a.seconds = 1e6 / (thr / wsum)
			a.power = pow / wsum
			a.kwh = a.power * a.seconds / 3.6e6
		} else {
			a.seconds = sec / wsum
			a.kwh = kwh / wsum
			a.power = a.kwh * 3.6e6 / a.seconds
		}
		out = append(out, a)
	}
	return out, nil
}

// summarise prices every aggregate in every tier and ranks backends by
// total cost within each mode and tier.
func summarise(aggs []agg, cfg Config) ([]Summary, error) {
	var out []Summary
	for _, a := range aggs {
		for _, t := range cfg.Tiers {
			rate, err := t.Rate(a.class)
			if err != nil {
				return nil, fmt.Errorf("backend %q: %w", a.backend, err)
			}
			s := Summary{Mode: a.mode, Backend: a.backend, Tier: t.Name, DeviceClass: a.class,
				Aggregate: cfg.Aggregate, Scenarios: a.scenarios, Seconds: a.seconds,
				EffectiveThroughput: 1e6 / a.seconds, PowerW: a.power, KWh: a.kwh,
				Carbon: a.kwh * cfg.CarbonGPerKWh, USDPerHour: rate}
			s.Infra = a.seconds / 3600 * rate
			s.Energy = a.kwh * cfg.USDPerKWh
			s.Total = s.Infra + s.Energy
			s.EnergyShare = share(s.Energy, s.Total)
			out = append(out, s)
		}
	}
	tierRank := tierIndex(cfg)
	slices.SortFunc(out, func(a, b Summary) int {
		return cmp.Or(cmp.Compare(artifacts.ModeRank(a.Mode), artifacts.ModeRank(b.Mode)), cmp.Compare(tierRank[a.Tier], tierRank[b.Tier]),
			compareCost(a.Total, b.Total), cmp.Compare(a.Backend, b.Backend))
	})
	for i := 0; i < len(out); {
		j := i
		for j < len(out) && out[j].Mode == out[i].Mode && out[j].Tier == out[i].Tier {
			j++
		}
		rankGroup(out[i:j])
		i = j
	}
	return out, nil
}

// rankGroup ranks one mode x tier like for like, on a basis every ranked
// backend has: on total cost when every backend has one; otherwise on infra
// cost for all (always priced), so that a backend whose energy was not
// measured is not ranked against another's total. Energy-only has no infra
// part: there only the backends with energy are ranked, on total, and the
// others keep an unknown multiple. RankBasis says which.
func rankGroup(g []Summary) {
	basis, cost := BasisTotal, func(s *Summary) float64 { return s.Total }
	if LikeForLike(g, func(s Summary) float64 { return s.Total }) == BasisInfra && g[0].Tier != TierEnergyOnly {
		basis, cost = BasisInfra, func(s *Summary) float64 { return s.Infra }
		slices.SortStableFunc(g, func(a, b Summary) int { return cmp.Compare(a.Infra, b.Infra) })
	}
	for k := range g {
		g[k].Rank = k + 1
		g[k].RankBasis = basis
		g[k].Multiple = cost(&g[k]) / cost(&g[0])
	}
}

// compareCost orders costs ascending with NaN (unknown) last.
func compareCost(a, b float64) int {
	switch an, bn := math.IsNaN(a), math.IsNaN(b); {
	case an && bn:
		return 0
	case an:
		return 1
	case bn:
		return -1
	}
	return cmp.Compare(a, b)
}

func share(part, total float64) float64 {
	if math.IsNaN(total) || total <= 0 {
		return nan
	}
	return part / total
}

func tierIndex(cfg Config) map[string]int {
	m := map[string]int{}
	for i, t := range cfg.Tiers {
		m[t.Name] = i
	}
	return m
}
