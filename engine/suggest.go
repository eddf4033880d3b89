package engine

import (
	"fmt"
	"sort"
	"strings"
)

// suggestName returns the candidate closest to name by edit distance, or ""
// when none is close enough to be a plausible typo (distance < 3, as HCL's
// own suggestions use).
func suggestName(name string, candidates []string) string {
	best, bestDist := "", 3
	for _, c := range candidates {
		d := editDistance(name, c)
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

// editDistance is the Levenshtein distance between a and b in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
