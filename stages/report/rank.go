package report

import (
	"math"
	"sort"

	"github.com/tr119/tr119/artifacts"
	"github.com/tr119/tr119/internal/frame"
)

// entry is one backend's aggregate in a mode at the headline tier.
type entry struct {
	backend string
	total   float64 // $ per 1M tokens; NaN when energy is unavailable
	infra   float64 // the infra part alone, always priced
	row     int     // row in the summary table
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

// ranking is the summary of a mode at the tier, cheapest first; backends
// without a total come last, by name.
func (in *input) ranking(mode string) []entry {
	f := in.t["summary"]
	var out []entry
	for _, i := range f.Rows(artifacts.ACMode, mode, artifacts.ACTier, in.cfg.Tier) {
		out = append(out, entry{backend: f.Str(artifacts.ACBackend, i), total: f.Num(artifacts.ACTotal, i),
			infra: f.Num(artifacts.ACInfra, i), row: i})
	}
	sortEntries(out)
	return out
}

func sortEntries(es []entry) {
	sort.SliceStable(es, func(i, j int) bool {
		a, b := es[i].total, es[j].total
		switch {
		case math.IsNaN(a) != math.IsNaN(b):
			return !math.IsNaN(a)
		case !math.IsNaN(a) && a != b:
			return a < b
		}
		return es[i].backend < es[j].backend
	})
}

// priced keeps the entries with a total.
func priced(es []entry) []entry {
	var out []entry
	for _, e := range es {
		if !math.IsNaN(e.total) {
			out = append(out, e)
		}
	}
	return out
}

// requestRanking is the request-level cost per backend at the tier,
// cheapest first ($ per request in total; row in the requests table).
func (in *input) requestRanking() []entry {
	f := in.t["requests"]
	if f == nil {
		return nil
	}
	var out []entry
	for _, i := range f.Rows(artifacts.ACTier, in.cfg.Tier) {
		out = append(out, entry{backend: f.Str(artifacts.ACBackend, i), total: f.Num(artifacts.ACReqTotal, i),
			infra: f.Num(artifacts.ACReqInfra, i), row: i})
	}
	sortEntries(out)
	return out
}

// flip is a scenario whose cheapest backend is not the mode's overall best.
type flip struct{ mode, scenario, best, overall string }

// flips lists the scenarios where the winner differs from the mode's
// overall cheapest backend, from the winners table.
func (in *input) flips(mode, overall string) []flip {
	f := in.t["winners"]
	if f == nil {
		return nil
	}
	var out []flip
	for _, i := range f.Rows(artifacts.ACMode, mode, artifacts.ACTier, in.cfg.Tier) {
		if b := f.Str(artifacts.ACBest, i); b != overall {
			out = append(out, flip{mode, f.Str(artifacts.ACScenario, i), b, overall})
		}
	}
	return out
}

// pairP returns the Holm-corrected Welch p-value of the pair's test in a
// mode, NaN when the stats tables lack it.
func (in *input) pairP(mode, a, b string) float64 {
	f := in.t["stats_pairwise"]
	if f == nil {
		return math.NaN()
	}
	for _, i := range f.Rows(artifacts.ACMode, mode, artifacts.ACTier, in.cfg.Tier) {
		x, y := f.Str(artifacts.ASBackendA, i), f.Str(artifacts.ASBackendB, i)
		if (x == a && y == b) || (x == b && y == a) {
			return f.Num(artifacts.ASWelchPH, i)
		}
	}
	return math.NaN()
}

// sortedDistinct returns the distinct values of a string column, sorted.
func sortedDistinct(f *frame.Frame, col string) []string {
	out := f.Distinct(col)
	sort.Strings(out)
	return out
}

// rankedOrInfra is the priced entries ranked on total cost, or, when none
// has a total (energy unavailable everywhere), all of them ranked on infra
// cost; basis says which ("total" or "infra").
func rankedOrInfra(es []entry) (ranked []entry, basis string) {
	if p := priced(es); len(p) > 0 || len(es) == 0 {
		return p, "total"
	}
	return byInfra(es), "infra"
}

// byInfra returns the entries ranked on infra cost alone, for when no
// backend has a total (energy unavailable everywhere).
func byInfra(es []entry) []entry {
	out := make([]entry, len(es))
	for i, e := range es {
		out[i] = e
		out[i].total = e.infra
	}
	sortEntries(out)
	return out
}
