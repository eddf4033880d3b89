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

// LikeForLike is the rule every comparison of costs follows (rankings,
// winners, tests): on total cost when every compared item has a known
// total, else on infra cost for all, which is always priced, so that an
// item whose energy was not measured is never set against another's
// total. Energy-only pricing has no infra part: its callers rank the
// items with energy alone.
func LikeForLike[T any](items []T, total func(T) float64) string {
	for _, it := range items {
		if math.IsNaN(total(it)) {
			return BasisInfra
		}
	}
	return BasisTotal
}

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
		total := func(i int) float64 { return tiers[i].Total.Mean }
		basis, cost, idx := LikeForLike(group[k], total), total, group[k]
		switch {
		case basis == BasisInfra && k.tier == TierEnergyOnly:
			// No infra part: only the cells with energy compete.
			basis, idx = BasisTotal, slices.DeleteFunc(slices.Clone(idx), func(i int) bool { return math.IsNaN(total(i)) })
			if len(idx) == 0 {
				continue
			}
		case basis == BasisInfra:
			cost = func(i int) float64 { return tiers[i].Infra }
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
