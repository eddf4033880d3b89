package stats

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/stat/distuv"
)

// TTest is a two-sided two-sample t-test result.
type TTest struct {
	T, DF, P float64
}

// StudentT is Student's two-sample t-test with pooled variance (what the
// report printed): t = (mean(b)-mean(a)) / (sp*sqrt(1/na+1/nb)),
// sp^2 = ((na-1)va + (nb-1)vb)/(na+nb-2), df = na+nb-2.
func StudentT(a, b []float64) (TTest, error) {
	if len(a) < 2 || len(b) < 2 {
		return TTest{}, fmt.Errorf("student t: need at least 2 values per group, got %d and %d", len(a), len(b))
	}
	na, nb := float64(len(a)), float64(len(b))
	df := na + nb - 2
	sp2 := ((na-1)*Variance(a) + (nb-1)*Variance(b)) / df
	se := math.Sqrt(sp2 * (1/na + 1/nb))
	return finishT(Mean(b)-Mean(a), se, df)
}

// WelchT is Welch's unequal-variance t-test: t = (mean(b)-mean(a)) /
// sqrt(va/na+vb/nb) with Welch-Satterthwaite degrees of freedom.
func WelchT(a, b []float64) (TTest, error) {
	if len(a) < 2 || len(b) < 2 {
		return TTest{}, fmt.Errorf("welch t: need at least 2 values per group, got %d and %d", len(a), len(b))
	}
	na, nb := float64(len(a)), float64(len(b))
	qa, qb := Variance(a)/na, Variance(b)/nb
	se := math.Sqrt(qa + qb)
	df := (qa + qb) * (qa + qb) / (qa*qa/(na-1) + qb*qb/(nb-1))
	return finishT(Mean(b)-Mean(a), se, df)
}

func finishT(diff, se, df float64) (TTest, error) {
	if se == 0 || math.IsNaN(se) {
		return TTest{}, fmt.Errorf("t test: zero variance in both groups")
	}
	t := diff / se
	p := 2 * distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.Survival(math.Abs(t))
	return TTest{T: t, DF: df, P: math.Min(p, 1)}, nil
}

// CohensD is (mean(b)-mean(a)) divided by the pooled standard deviation
// (the same sp as StudentT). It is NaN when the pooled SD is zero or a
// group has fewer than 2 values.
func CohensD(a, b []float64) float64 {
	if len(a) < 2 || len(b) < 2 {
		return math.NaN()
	}
	na, nb := float64(len(a)), float64(len(b))
	sp := math.Sqrt(((na-1)*Variance(a) + (nb-1)*Variance(b)) / (na + nb - 2))
	if sp == 0 {
		return math.NaN()
	}
	return (Mean(b) - Mean(a)) / sp
}

// Holm returns Holm's step-down adjusted p-values, in the order of p:
// sort ascending, adj_i = max over j<=i of min(1, (m-j) p_(j)). NaN inputs
// stay NaN and do not count towards m.
func Holm(p []float64) []float64 {
	out := make([]float64, len(p))
	idx := make([]int, 0, len(p))
	for i, v := range p {
		out[i] = math.NaN()
		if !math.IsNaN(v) {
			idx = append(idx, i)
		}
	}
	slices.SortStableFunc(idx, func(i, j int) int { return cmp.Compare(p[i], p[j]) })
	m := len(idx)
	running := 0.0
	for rank, i := range idx {
		adj := math.Min(1, float64(m-rank)*p[i])
		running = math.Max(running, adj)
		out[i] = running
	}
	return out
}
