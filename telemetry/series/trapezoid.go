package series

import (
	"errors"
	"sort"
)

// Trapezoid integrates power samples (watts) over [t0, t1] with the
// trapezoidal rule, the power taken as linear between samples and
// interpolated at both edges. Updates counts the samples strictly
// inside the window. samples must be sorted by T, T in nanoseconds.
func Trapezoid(samples []Point, t0, t1 int64) (Result, error) {
	if t1 < t0 {
		return Result{}, errors.New("window ends before it starts")
	}
	p0, ok0 := At(samples, t0)
	p1, ok1 := At(samples, t1)
	if !ok0 || !ok1 {
		return Result{}, ErrNotBracketed
	}
	lo := sort.Search(len(samples), func(i int) bool { return samples[i].T > t0 })
	hi := sort.Search(len(samples), func(i int) bool { return samples[i].T >= t1 })
	prev := Point{T: t0, V: p0}
	var j float64
	for _, s := range samples[lo:max(lo, hi)] {
		j += area(prev, s)
		prev = s
	}
	j += area(prev, Point{T: t1, V: p1})
	return Result{Joules: j, Updates: max(0, hi-lo)}, nil
}

// area is the trapezoid between two power samples, in joules.
func area(a, b Point) float64 {
	return float64(b.T-a.T) / 1e9 * (a.V + b.V) / 2
}
