package checks

import (
	"math"
	"slices"
)

// outlier is what the robust per-cell check found.
type outlier struct {
	n int
	// worst is the largest ratio of a row's time per token to the median
	// (or its inverse, for a row far below it).
	worst float64
	// effect is the relative change the outliers cause in the cell's
	// time per token (summed seconds over summed tokens, as the cost
	// stage computes it): with them / without them - 1.
	effect float64
}

// outliers flags rows whose time per token (secs/toks) lies more than k
// robust standard deviations from the cell's median, the robust SD being
// 1.4826 x the median absolute deviation, and by more than 50%. When most rows are identical
// (MAD = 0) a row counts when it is more than twice or less than half the
// median. Fewer than 3 rows cannot be judged.
func outliers(secs, toks []float64, k float64) (outlier, bool) {
	n := len(secs)
	if n < 3 {
		return outlier{}, false
	}
	x := make([]float64, n)
	for i := range secs {
		x[i] = secs[i] / toks[i]
	}
	med := median(slices.Clone(x))
	dev := make([]float64, n)
	for i, v := range x {
		dev[i] = math.Abs(v - med)
	}
	sd := 1.4826 * median(dev)
	var o outlier
	var allS, allT, keepS, keepT float64
	for i, v := range x {
		allS, allT = allS+secs[i], allT+toks[i]
		// Far in robust SDs and by a margin that matters (50%): tight
		// cells otherwise flag rows a few percent off.
		far := sd > 0 && math.Abs(v-med) > k*sd && (v > 1.5*med || v < med/1.5)
		if sd == 0 {
			far = v > 2*med || v < med/2
		}
		if !far {
			keepS, keepT = keepS+secs[i], keepT+toks[i]
			continue
		}
		o.n++
		o.worst = math.Max(o.worst, math.Max(v/med, med/v))
	}
	if o.n == 0 || keepT == 0 {
		return outlier{}, false
	}
	o.effect = (allS/allT)/(keepS/keepT) - 1
	return o, true
}

// median sorts xs and returns its median.
func median(xs []float64) float64 {
	slices.Sort(xs)
	m := len(xs) / 2
	if len(xs)%2 == 1 {
		return xs[m]
	}
	return (xs[m-1] + xs[m]) / 2
}
