package stats

import (
	"fmt"

	"gonum.org/v1/gonum/stat/distuv"
)

// Omnibus is the result of a test across k groups.
type Omnibus struct {
	// Statistic is F for ANOVA and H for Kruskal-Wallis.
	Statistic float64
	// DF1 is k-1; DF2 is N-k for ANOVA and 0 for Kruskal-Wallis.
	DF1, DF2 float64
	// P is the upper-tail p-value.
	P float64
	// N is the number of observations over all groups.
	N int
}

// ANOVA is the one-way analysis of variance of groups:
// F = (SSB/(k-1)) / (SSW/(N-k)), p = P(F(k-1, N-k) > F).
func ANOVA(groups [][]float64) (Omnibus, error) {
	k, n, err := checkGroups(groups)
	if err != nil {
		return Omnibus{}, err
	}
	if n <= k {
		return Omnibus{}, fmt.Errorf("anova: %d observations in %d groups leave no within-group degrees of freedom", n, k)
	}
	var total float64
	for _, g := range groups {
		for _, x := range g {
			total += x
		}
	}
	grand := total / float64(n)
	var ssb, ssw float64
	for _, g := range groups {
		m := Mean(g)
		ssb += float64(len(g)) * (m - grand) * (m - grand)
		for _, x := range g {
			ssw += (x - m) * (x - m)
		}
	}
	df1, df2 := float64(k-1), float64(n-k)
	if ssw == 0 {
		return Omnibus{}, fmt.Errorf("anova: every group is constant (zero within-group variance)")
	}
	f := (ssb / df1) / (ssw / df2)
	return Omnibus{Statistic: f, DF1: df1, DF2: df2, P: FPValue(f, df1, df2), N: n}, nil
}

// FPValue is the upper-tail probability of F(df1, df2) beyond f.
func FPValue(f, df1, df2 float64) float64 {
	return distuv.F{D1: df1, D2: df2}.Survival(f)
}

// ChiSquaredPValue is the upper-tail probability of chi-squared(df) beyond x.
func ChiSquaredPValue(x, df float64) float64 {
	return distuv.ChiSquared{K: df}.Survival(x)
}

// checkGroups wants at least two groups, each with at least one value.
func checkGroups(groups [][]float64) (k, n int, err error) {
	if len(groups) < 2 {
		return 0, 0, fmt.Errorf("need at least 2 groups, got %d", len(groups))
	}
	for i, g := range groups {
		if len(g) == 0 {
			return 0, 0, fmt.Errorf("group %d is empty", i)
		}
		n += len(g)
	}
	return len(groups), n, nil
}
