package stats

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/stat/distuv"
)

// CI methods, as the tables name them.
const (
	// MethodT is the two-sided Student t interval of the mean.
	MethodT = "t"
	// MethodBootstrap is the seeded percentile bootstrap of the mean.
	MethodBootstrap = "bootstrap"
)

// Bootstrap settings: fixed, so the same values give the same interval
// on every machine (the analysis stages are byte-deterministic).
const (
	bootstrapResamples = 4000
	bootstrapSeed1     = 0x7472313139 // "tr119"
	bootstrapSeed2     = 0x636f7374   // "cost"
)

// BootstrapMeanCI is the percentile bootstrap interval of the mean of xs
// at level, from a fixed-seed PCG stream: deterministic, and inside
// [min, max] of xs, so never negative for positive values. NaN bounds for
// fewer than 2 values.
func BootstrapMeanCI(xs []float64, level float64) (low, high float64) {
	n := len(xs)
	if n < 2 {
		return math.NaN(), math.NaN()
	}
	r := rand.New(rand.NewPCG(bootstrapSeed1, bootstrapSeed2))
	means := make([]float64, bootstrapResamples)
	for b := range means {
		var s float64
		for range n {
			s += xs[r.IntN(n)]
		}
		means[b] = s / float64(n)
	}
	slices.Sort(means)
	a := (1 - level) / 2
	return quantileSorted(means, a), quantileSorted(means, 1-a)
}

// quantileSorted is the linear-interpolation quantile (type 7) of s.
func quantileSorted(s []float64, q float64) float64 {
	h := q * float64(len(s)-1)
	lo := math.Floor(h)
	i := int(lo)
	if i+1 >= len(s) {
		return s[len(s)-1]
	}
	return s[i] + (h-lo)*(s[i+1]-s[i])
}

// PositiveMeanCI is the interval of the mean of a positive quantity (a
// cost, a time, an energy): the t interval where its lower bound is above
// zero, else the seeded percentile bootstrap, which stays within the
// values. method says which; NaN bounds and "" for fewer than 2 values.
func PositiveMeanCI(xs []float64, level float64) (mean, low, high float64, method string) {
	mean, low, high = MeanCI(xs, level)
	switch {
	case math.IsNaN(low):
		return mean, low, high, ""
	case low > 0 || slices.Min(xs) <= 0:
		return mean, low, high, MethodT
	}
	low, high = BootstrapMeanCI(xs, level)
	return mean, low, high, MethodBootstrap
}

// Paired compares two backends on the same scenarios: the one-sample t
// test of the per-scenario log ratios log(b_s / a_s). Costs are
// multiplicative (a backend tends to cost a factor more), so the log ratio
// is the natural paired difference, and its interval, exponentiated, is a
// ratio that is never negative.
type Paired struct {
	N int
	// Ratio is the geometric mean of b_s / a_s; Low and High its CI.
	Ratio, Low, High float64
	T, DF, P         float64
}

// PairedLogRatio tests a and b, paired by position (the same scenario),
// at level. It needs 2 or more pairs, positive values and some variation
// in the log ratios.
func PairedLogRatio(a, b []float64, level float64) (Paired, error) {
	if len(a) != len(b) {
		return Paired{}, fmt.Errorf("paired: %d and %d values", len(a), len(b))
	}
	if len(a) < 2 {
		return Paired{}, fmt.Errorf("paired: need at least 2 shared scenarios, got %d", len(a))
	}
	d := make([]float64, len(a))
	for i := range a {
		if a[i] <= 0 || b[i] <= 0 {
			return Paired{}, fmt.Errorf("paired: values must be > 0")
		}
		d[i] = math.Log(b[i] / a[i])
	}
	n := float64(len(d))
	m, sd := Mean(d), math.Sqrt(Variance(d))
	if sd == 0 {
		return Paired{}, fmt.Errorf("paired: the ratio is the same in every scenario (no variance)")
	}
	se := sd / math.Sqrt(n)
	df := n - 1
	t := m / se
	h := TCritical(level, df) * se
	p := 2 * distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.Survival(math.Abs(t))
	return Paired{N: len(d), Ratio: math.Exp(m), Low: math.Exp(m - h), High: math.Exp(m + h), T: t, DF: df, P: math.Min(p, 1)}, nil
}
