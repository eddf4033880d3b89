package engine

import (
	"fmt"
	"sort"
	"strings"

	"github.com/agext/levenshtein"
)

// suggestName returns the candidate closest to name by Levenshtein
// distance (github.com/agext/levenshtein, the package HCL's own
// suggestions use), or "" when none is close enough to be a plausible
// typo (distance < 3, as HCL's).
func suggestName(name string, candidates []string) string {
	best, bestDist := "", 3
	for _, c := range candidates {
		d := levenshtein.Distance(name, c, nil)
		if d < bestDist || (d == bestDist && best != "" && c < best) {
			best, bestDist = c, d
		}
	}
	return best
}

// didYouMean is a hint sentence for a misspelt name: "Did you mean "x"?"
// when one candidate is close, else a list of the valid names, else
// the fallback.
func didYouMean(name string, candidates []string, fallback string) string {
	if s := suggestName(name, candidates); s != "" {
		return fmt.Sprintf("Did you mean %q?", s)
	}
	if len(candidates) == 0 {
		return fallback
	}
	return "Valid names: " + listNames(candidates) + "."
}

// listNames joins sorted names with commas, eliding after ten so a hint
// stays one line.
func listNames(names []string) string {
	s := append([]string(nil), names...)
	sort.Strings(s)
	if len(s) > 10 {
		s = append(s[:10], fmt.Sprintf("... (%d more)", len(s)-10))
	}
	return strings.Join(s, ", ")
}

// unknownStage is the error for a -target or -replace address that names
// no stage: with the closest address, or the list of them.
func (p *Pipeline) unknownStage(flag, addr string) error {
	addrs := sortedKeys(p.blocks)
	for _, st := range p.Stages {
		if _, isBlock := p.blocks[st.Addr]; !isBlock {
			addrs = append(addrs, st.Addr)
		}
	}
	return fmt.Errorf("%s %s: no such stage. %s", flag, addr, didYouMean(addr, addrs, "The pipeline has no stages."))
}
