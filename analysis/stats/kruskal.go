package stats

import (
	"fmt"
	"sort"
)

// KruskalWallis is the rank test across groups with the tie correction:
// H = [12/(N(N+1)) * sum(R_i^2/n_i) - 3(N+1)] / (1 - sum(t^3-t)/(N^3-N)),
// where R_i is the rank sum of group i (ties get their mean rank) and t
// runs over the sizes of tied blocks; p = P(chi-squared(k-1) > H).
func KruskalWallis(groups [][]float64) (Omnibus, error) {
	k, n, err := checkGroups(groups)
	if err != nil {
		return Omnibus{}, err
	}
	if n == k {
		// With one value per group H is fixed by the group count (p >= 0.317
		// for two groups whatever the values): the test has no power.
		return Omnibus{}, fmt.Errorf("kruskal-wallis: one value per group, the test cannot tell (no power)")
	}
	type obs struct {
		x float64
		g int
	}
	all := make([]obs, 0, n)
	for gi, g := range groups {
		for _, x := range g {
			all = append(all, obs{x, gi})
		}
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].x < all[j].x })
	rankSum := make([]float64, k)
	var ties float64
	for i := 0; i < n; {
		j := i
		for j < n && all[j].x == all[i].x {
			j++
		}
		// Positions i..j-1 (0-based) share the mean of ranks i+1..j.
		r := float64(i+1+j) / 2
		for m := i; m < j; m++ {
			rankSum[all[m].g] += r
		}
		t := float64(j - i)
		ties += t*t*t - t
		i = j
	}
	nf := float64(n)
	var h float64
	for gi, g := range groups {
		h += rankSum[gi] * rankSum[gi] / float64(len(g))
	}
	h = 12/(nf*(nf+1))*h - 3*(nf+1)
	c := 1 - ties/(nf*nf*nf-nf)
	if c == 0 {
		return Omnibus{}, fmt.Errorf("kruskal-wallis: every value is tied")
	}
	h /= c
	df := float64(k - 1)
	return Omnibus{Statistic: h, DF1: df, P: ChiSquaredPValue(h, df), N: n}, nil
}
