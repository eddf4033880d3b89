package checks

import (
	"cmp"
	"math"
	"slices"

	"github.com/tr119/tr119/artifacts"
)

// Severities, most severe first.
const (
	Fail = "fail"
	Warn = "warn"
	Info = "info"
)

// Finding is one validation result. Backend, Scenario and Mode are empty
// for table-wide findings; Value is NaN when the check measures nothing.
type Finding struct {
	Check, Severity         string
	Backend, Scenario, Mode string
	Message                 string
	Value                   float64
}

func severityRank(s string) int { return slices.Index([]string{Fail, Warn, Info}, s) }

// Sort orders findings by severity, check, mode, backend, scenario and
// message, so the same inputs give the same table.
func Sort(f []Finding) {
	slices.SortFunc(f, func(a, b Finding) int {
		return cmp.Or(cmp.Compare(severityRank(a.Severity), severityRank(b.Severity)), cmp.Compare(a.Check, b.Check),
			cmp.Compare(artifacts.ModeRank(a.Mode), artifacts.ModeRank(b.Mode)), cmp.Compare(a.Backend, b.Backend),
			cmp.Compare(a.Scenario, b.Scenario), cmp.Compare(a.Message, b.Message))
	})
}

// Valid reports whether no finding fails.
func Valid(f []Finding) bool {
	return !slices.ContainsFunc(f, func(x Finding) bool { return x.Severity == Fail })
}

// Count returns the number of findings per severity.
func Count(f []Finding) map[string]int {
	out := map[string]int{Fail: 0, Warn: 0, Info: 0}
	for _, x := range f {
		out[x.Severity]++
	}
	return out
}

var nan = math.NaN()
