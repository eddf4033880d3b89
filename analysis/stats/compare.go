package stats

import (
	"math"
)

// Group is one named sample (a backend's per-scenario costs).
type Group struct {
	Name   string
	Values []float64
}

// Pair compares groups A and B (B versus A). Fields of a test that could
// not run (too few values, zero variance) are NaN.
type Pair struct {
	A, B                   string
	MeanA, MeanB           float64
	PctChange              float64 // 100 * (mean B - mean A) / mean A
	CohensD                float64
	Student, Welch         TTest
	StudentHolm, WelchHolm float64
}

// Comparison is the report's section 10 for one set of groups.
type Comparison struct {
	Groups []GroupSummary
	// ANOVA and KruskalWallis are nil when the test cannot run; Errs
	// says why, by test name.
	ANOVA, KruskalWallis *Omnibus
	Errs                 map[string]string
	Pairs                []Pair
}

// GroupSummary is a group's descriptive statistics.
type GroupSummary struct {
	Name string
	Summary
}

// Compare describes each group (CI at level), runs the omnibus tests
// across them and every pairwise test (i < j in the given order), with
// Holm's correction over the pairs of each t-test.
func Compare(groups []Group, level float64) Comparison {
	c := Comparison{Errs: map[string]string{}}
	vals := make([][]float64, len(groups))
	for i, g := range groups {
		vals[i] = g.Values
		s, err := Describe(g.Values, level)
		if err != nil {
			continue
		}
		c.Groups = append(c.Groups, GroupSummary{g.Name, s})
	}
	if r, err := ANOVA(vals); err == nil {
		c.ANOVA = &r
	} else {
		c.Errs["anova"] = err.Error()
	}
	if r, err := KruskalWallis(vals); err == nil {
		c.KruskalWallis = &r
	} else {
		c.Errs["kruskal_wallis"] = err.Error()
	}
	nan := TTest{math.NaN(), math.NaN(), math.NaN()}
	for i := range groups {
		for j := i + 1; j < len(groups); j++ {
			a, b := groups[i].Values, groups[j].Values
			p := Pair{A: groups[i].Name, B: groups[j].Name, MeanA: Mean(a), MeanB: Mean(b), CohensD: CohensD(a, b)}
			p.PctChange = 100 * (p.MeanB - p.MeanA) / p.MeanA
			var err error
			if p.Student, err = StudentT(a, b); err != nil {
				p.Student = nan
			}
			if p.Welch, err = WelchT(a, b); err != nil {
				p.Welch = nan
			}
			c.Pairs = append(c.Pairs, p)
		}
	}
	sp := make([]float64, len(c.Pairs))
	wp := make([]float64, len(c.Pairs))
	for i, p := range c.Pairs {
		sp[i], wp[i] = p.Student.P, p.Welch.P
	}
	sh, wh := Holm(sp), Holm(wp)
	for i := range c.Pairs {
		c.Pairs[i].StudentHolm, c.Pairs[i].WelchHolm = sh[i], wh[i]
	}
	return c
}
