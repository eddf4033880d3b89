package report

import (
	"cmp"
	"math"
	"slices"
	"sort"

	acost "github.com/tr119/tr119/analysis/cost"
	"github.com/tr119/tr119/artifacts"
	"github.com/tr119/tr119/internal/frame"
)

// entry is one backend's aggregate in a mode (or its request cost) at the
// headline tier.
type entry struct {
	backend string
	total   float64 // $; NaN when energy is unavailable
	infra   float64 // the infra part alone, always priced
	cost    float64 // the value on the ranking basis (total or infra)
	seconds float64 // s per 1M tokens (summary rows only)
	row     int     // row in its table
}

// ranking is a mode's or the request's entries in rank order and the
// basis they are ranked on: total when every backend has one, else infra
// for every backend (the cost stage's like-for-like rule).
type ranking struct {
	basis   string
	entries []entry
}

// missing lists the backends without a total.
func (r ranking) missing() []entry {
	var out []entry
	for _, e := range r.entries {
		if math.IsNaN(e.total) {
			out = append(out, e)
		}
	}
	return out
}

// modes returns the modes of a table in the report's order.
func modes(f *frame.Frame) []string {
	out := f.Distinct(artifacts.ACMode)
	sort.SliceStable(out, func(i, j int) bool {
		if artifacts.ModeRank(out[i]) != artifacts.ModeRank(out[j]) {
			return artifacts.ModeRank(out[i]) < artifacts.ModeRank(out[j])
		}
		return out[i] < out[j]
	})
	return out
}

// rank orders entries like for like and says on which basis.
func rank(es []entry) ranking {
	basis := acost.LikeForLike(es, func(e entry) float64 { return e.total })
	for i := range es {
		es[i].cost = es[i].total
		if basis == acost.BasisInfra {
			es[i].cost = es[i].infra
		}
	}
	slices.SortStableFunc(es, func(a, b entry) int { return cmp.Or(cmp.Compare(a.cost, b.cost), cmp.Compare(a.backend, b.backend)) })
	return ranking{basis, es}
}

// modeRanking is the summary of a mode at the headline tier.
func (in *input) modeRanking(mode string) ranking {
	f := in.t["summary"]
	var es []entry
	for _, i := range f.Rows(artifacts.ACMode, mode, artifacts.ACTier, in.tier) {
		es = append(es, entry{backend: f.Str(artifacts.ACBackend, i), total: f.Num(artifacts.ACTotal, i),
			infra: f.Num(artifacts.ACInfra, i), seconds: f.Num(artifacts.ACSeconds, i), row: i})
	}
	return rank(es)
}

// requestRanking is the request-level cost per backend at the tier ($ per
// request; row in the requests table).
func (in *input) requestRanking() ranking {
	f := in.t["requests"]
	if f == nil {
		return ranking{}
	}
	var es []entry
	for _, i := range f.Rows(artifacts.ACTier, in.tier) {
		es = append(es, entry{backend: f.Str(artifacts.ACBackend, i), total: f.Num(artifacts.ACReqTotal, i),
			infra: f.Num(artifacts.ACReqInfra, i), row: i})
	}
	return rank(es)
}

// basisWords says what a basis ranks on.
func basisWords(basis string) string {
	if basis == acost.BasisInfra {
		return "infra cost"
	}
	return "total cost"
}

// sortedDistinct returns the distinct values of a string column, sorted.
func sortedDistinct(f *frame.Frame, col string) []string {
	out := f.Distinct(col)
	sort.Strings(out)
	return out
}

// flip is a scenario whose cheapest backend is not the mode's overall best.
type flip struct{ scenario, best string }

// flips lists the scenarios where the winner differs from the mode's
// overall cheapest backend, from the winners table.
func (in *input) flips(mode, overall string) []flip {
	f := in.t["winners"]
	if f == nil {
		return nil
	}
	var out []flip
	for _, i := range f.Rows(artifacts.ACMode, mode, artifacts.ACTier, in.tier) {
		if b := f.Str(artifacts.ACBest, i); b != overall {
			out = append(out, flip{f.Str(artifacts.ACScenario, i), b})
		}
	}
	return out
}

// mergeFlips merges flips per winning backend: "`b` wins `x` and `y`".
func mergeFlips(fl []flip) []string {
	by := map[string][]string{}
	for _, x := range fl {
		by[x.best] = append(by[x.best], x.scenario)
	}
	var out []string
	for _, b := range sortedMapKeys(by) {
		out = append(out, tick(b)+" wins "+joinTicks(by[b]))
	}
	return out
}
