package cost

import (
	"cmp"
	"math"
	"slices"

	"github.com/tr119/tr119/artifacts"
)

// Winner is one row of cost_winners/v1: the cheapest backend of a mode x
// scenario in a tier and the runner-up (NaN cost when there is none).
type Winner struct {
	Mode, Scenario, Tier     string
	Best                     string
	BestTotal                float64
	RunnerUp                 string
	RunnerUpTotal, RunnerUpX float64
}

// winners ranks the cells of each mode x scenario x tier by total cost;
// cells whose total is unknown (no energy) do not compete.
func winners(cells []Cell, tiers []CellTier, cfg Config) []Winner {
	type key struct{ mode, scenario, tier string }
	best := map[key][]int{}
	var keys []key
	for i, t := range tiers {
		if math.IsNaN(t.Total.Mean) {
			continue
		}
		c := &cells[t.Cell]
		k := key{c.Mode, c.Scenario, t.Tier}
		if _, ok := best[k]; !ok {
			keys = append(keys, k)
		}
		best[k] = append(best[k], i)
	}
	tierRank := tierIndex(cfg)
	slices.SortFunc(keys, func(a, b key) int {
		return cmp.Or(cmp.Compare(artifacts.ModeRank(a.mode), artifacts.ModeRank(b.mode)),
			cmp.Compare(a.scenario, b.scenario), cmp.Compare(tierRank[a.tier], tierRank[b.tier]))
	})
	var out []Winner
	for _, k := range keys {
		idx := best[k]
		slices.SortFunc(idx, func(a, b int) int {
			return cmp.Or(cmp.Compare(tiers[a].Total.Mean, tiers[b].Total.Mean),
				cmp.Compare(cells[tiers[a].Cell].Backend, cells[tiers[b].Cell].Backend))
		})
		w := Winner{Mode: k.mode, Scenario: k.scenario, Tier: k.tier,
			Best: cells[tiers[idx[0]].Cell].Backend, BestTotal: tiers[idx[0]].Total.Mean,
			RunnerUpTotal: nan, RunnerUpX: nan}
		if len(idx) > 1 {
			w.RunnerUp = cells[tiers[idx[1]].Cell].Backend
			w.RunnerUpTotal = tiers[idx[1]].Total.Mean
			w.RunnerUpX = w.RunnerUpTotal / w.BestTotal
		}
		out = append(out, w)
	}
	return out
}
