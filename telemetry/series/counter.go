package series

import (
	"errors"
	"sort"
)

// ErrNotBracketed means the readings do not reach both edges of the
// window: there is no reading at or before its start, or none at or after
// its end.
var ErrNotBracketed = errors.New("readings do not bracket the window")

// Knots turns readings of a cumulative counter into the points where its
// value is known, ready for CounterEnergy.
//
// A counter that advances more often than it is read (RAPL, every ~1 ms)
// has its value at each read time: pass step 0 and every reading is a
// knot. A stepped counter advances every step ns (NVML total energy,
// every ~100 ms) and holds its value from the instant it stepped; reading
// it again later says nothing new. For such a counter only a reading that
// shows a new value is a knot, placed at the middle of the interval in
// which the step must have happened: after the previous reading and at
// most one step before this one. That is the unbiased estimate of the
// step's time; using the read time instead would put every knot up to a
// whole step late, and interpolating between raw readings would be off
// by up to one step's energy at each edge.
func Knots(readings []Point, step int64) []Point {
	if step <= 0 || len(readings) == 0 {
		return readings
	}
	out := []Point{readings[0]}
	for i := 1; i < len(readings); i++ {
		if readings[i].V == readings[i-1].V {
			continue
		}
		lo := max(readings[i-1].T, readings[i].T-step)
		out = append(out, Point{T: lo + (readings[i].T-lo)/2, V: readings[i].V})
	}
	return out
}

// CounterEnergy is the increase of a cumulative counter over [t0, t1]:
// the counter interpolated linearly at each edge between the two knots
// that bracket it, then subtracted. Updates counts the knots strictly
// inside the window. knots must be sorted by T.
func CounterEnergy(knots []Point, t0, t1 int64) (Result, error) {
	if t1 < t0 {
		return Result{}, errors.New("window ends before it starts")
	}
	e0, ok0 := At(knots, t0)
	e1, ok1 := At(knots, t1)
	if !ok0 || !ok1 {
		return Result{}, ErrNotBracketed
	}
	return Result{Joules: e1 - e0, Updates: countInside(knots, t0, t1)}, nil
}

// At is the value at t, interpolated linearly between the points that
// bracket t; false when t lies outside the points.
func At(pts []Point, t int64) (float64, bool) {
	if len(pts) == 0 || t < pts[0].T || t > pts[len(pts)-1].T {
		return 0, false
	}
	i := sort.Search(len(pts), func(i int) bool { return pts[i].T >= t })
	if pts[i].T == t || i == 0 {
		return pts[i].V, true
	}
	a, b := pts[i-1], pts[i]
	f := float64(t-a.T) / float64(b.T-a.T)
	return a.V + f*(b.V-a.V), true
}

// countInside counts the points with t0 < T < t1.
func countInside(pts []Point, t0, t1 int64) int {
	lo := sort.Search(len(pts), func(i int) bool { return pts[i].T > t0 })
	hi := sort.Search(len(pts), func(i int) bool { return pts[i].T >= t1 })
	if hi < lo {
		return 0
	}
	return hi - lo
}
