package cost

import (
	"cmp"
	"math"
	"slices"

	"github.com/tr119/tr119/artifacts"
)

// Ranking bases: what a winner or a rank compares.
const (
	// BasisTotal ranks on total cost (infra + energy).
	BasisTotal = "total"
	// BasisInfra ranks on infra cost alone, where no competitor has a
	// total (energy unavailable on the machine): under time pricing it is
	// the part that orders backends, and the tables say it is all there is.
	BasisInfra = "infra"
)

// Winner is one row of cost_winners/v1: the cheapest backend of a mode x
// scenario in a tier and the runner-up (NaN cost when there is none), on
// total cost, or on infra cost (Basis) where no cell has a total.
type Winner struct {
	Mode, Scenario, Tier     string
	Basis                    string
	Best                     string
	BestTotal                float64
	RunnerUp                 string
	RunnerUpTotal, RunnerUpX float64
}

// winners ranks the cells of each mode x scenario x tier like for like: by
// total cost when every cell has one, else all on infra cost (a cell
// without energy is not ranked against another's total). Energy-only has no
// infra part: there only cells with energy compete, and none names no
// winner.
func winners(cells []Cell, tiers []CellTier, cfg Config) []Winner {
	type key struct{ mode, scenario, tier string }
	group := map[key][]int{}
	var keys []key
	for i, t := range tiers {
		c := &cells[t.Cell]
		k := key{c.Mode, c.Scenario, t.Tier}
		if _, ok := group[k]; !ok {
			keys = append(keys, k)
		}
		group[k] = append(group[k], i)
	}
	tierRank := tierIndex(cfg)
	slices.SortFunc(keys, func(a, b key) int {
		return cmp.Or(cmp.Compare(artifacts.ModeRank(a.mode), artifacts.ModeRank(b.mode)),
			cmp.Compare(a.scenario, b.scenario), cmp.Compare(tierRank[a.tier], tierRank[b.tier]))
	})
	var out []Winner
	for _, k := range keys {
		basis, cost := BasisInfra, func(i int) float64 { return tiers[i].Infra }
		var idx []int
		for _, i := range group[k] {
			if !math.IsNaN(tiers[i].Total.Mean) {
				idx = append(idx, i)
			}
		}
		switch {
		case len(idx) == len(group[k]) || (k.tier == TierEnergyOnly && len(idx) > 0):
			basis, cost = BasisTotal, func(i int) float64 { return tiers[i].Total.Mean }
		case k.tier == TierEnergyOnly:
			continue // energy-only has no infra part: nothing to rank without energy
		default:
			idx = group[k] // like for like: infra for all when one lacks a total
		}
		slices.SortFunc(idx, func(a, b int) int {
			return cmp.Or(cmp.Compare(cost(a), cost(b)), cmp.Compare(cells[tiers[a].Cell].Backend, cells[tiers[b].Cell].Backend))
		})
		w := Winner{Mode: k.mode, Scenario: k.scenario, Tier: k.tier, Basis: basis,
			Best: cells[tiers[idx[0]].Cell].Backend, BestTotal: cost(idx[0]),
			RunnerUpTotal: nan, RunnerUpX: nan}
		if len(idx) > 1 {
			w.RunnerUp = cells[tiers[idx[1]].Cell].Backend
			w.RunnerUpTotal = cost(idx[1])
			w.RunnerUpX = w.RunnerUpTotal / w.BestTotal
		}
		out = append(out, w)
	}
	return out
}
