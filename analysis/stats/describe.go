package stats

import (
	"errors"
	"math"
	"slices"

	"gonum.org/v1/gonum/stat/distuv"
)

// ErrEmpty is returned for a statistic of no values.
var ErrEmpty = errors.New("no values")

// Summary describes one sample.
type Summary struct {
	N      int
	Mean   float64
	Median float64
	Min    float64
	Max    float64
	// Std is the sample standard deviation (n-1); NaN when N < 2.
	Std float64
	// CILow and CIHigh bound the two-sided t confidence interval of the
	// mean at the level passed to Describe; NaN when N < 2.
	CILow, CIHigh float64
}

// Describe summarises xs with a two-sided t confidence interval of the mean
// at level (0.95 for 95%). It does not modify xs.
func Describe(xs []float64, level float64) (Summary, error) {
	if len(xs) == 0 {
		return Summary{}, ErrEmpty
	}
	s := Summary{N: len(xs), Mean: Mean(xs), Std: math.NaN(), CILow: math.NaN(), CIHigh: math.NaN()}
	sorted := slices.Clone(xs)
	slices.Sort(sorted)
	s.Min, s.Max = sorted[0], sorted[len(sorted)-1]
	s.Median = medianSorted(sorted)
	if s.N >= 2 {
		s.Std = math.Sqrt(Variance(xs))
		h := TCritical(level, float64(s.N-1)) * s.Std / math.Sqrt(float64(s.N))
		s.CILow, s.CIHigh = s.Mean-h, s.Mean+h
	}
	return s, nil
}

// MeanCI is the mean of xs and its two-sided t confidence interval at
// level, without the sort Describe needs for the median; the bounds are
// NaN when len(xs) < 2 and everything is NaN for no values.
func MeanCI(xs []float64, level float64) (mean, low, high float64) {
	mean = Mean(xs)
	if len(xs) < 2 {
		return mean, math.NaN(), math.NaN()
	}
	h := TCritical(level, float64(len(xs)-1)) * math.Sqrt(Variance(xs)/float64(len(xs)))
	return mean, mean - h, mean + h
}

// Mean is the arithmetic mean of xs (NaN for none).
func Mean(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	var sum float64
	for _, x := range xs {
		sum += x
	}
	return sum / float64(len(xs))
}

// Variance is the unbiased sample variance of xs (n-1 in the
// denominator); NaN for fewer than two values.
func Variance(xs []float64) float64 {
	if len(xs) < 2 {
		return math.NaN()
	}
	m := Mean(xs)
	var ss float64
	for _, x := range xs {
		ss += (x - m) * (x - m)
	}
	return ss / float64(len(xs)-1)
}

// TCritical is the two-sided critical value of Student's t with df
// degrees of freedom at confidence level (2.776 for 0.95 and df 4).
func TCritical(level, df float64) float64 {
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.Quantile(1 - (1-level)/2)
}

func medianSorted(s []float64) float64 {
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}
