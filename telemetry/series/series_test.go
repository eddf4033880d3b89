package series

import (
	"errors"
	"math"
	"testing"
)

const ms = int64(1e6)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestCounterEnergy(t *testing.T) {
	// A counter rising 10 J every 100 ms, read exactly at its steps.
	lin := []Point{{0, 0}, {100 * ms, 10}, {200 * ms, 20}, {300 * ms, 30}}
	tests := []struct {
		name    string
		knots   []Point
		t0, t1  int64
		want    float64
		updates int
		err     error
	}{
		{"whole", lin, 0, 300 * ms, 30, 2, nil},
		{"edges interpolated", lin, 50 * ms, 250 * ms, 20, 2, nil},
		{"inside one interval", lin, 110 * ms, 130 * ms, 2, 0, nil},
		{"edge on a knot", lin, 100 * ms, 200 * ms, 10, 0, nil},
		{"empty window", lin, 150 * ms, 150 * ms, 0, 0, nil},
		{"before first", lin, -1, 100 * ms, 0, 0, ErrNotBracketed},
		{"after last", lin, 0, 301 * ms, 0, 0, ErrNotBracketed},
		{"no knots", nil, 0, 1, 0, 0, ErrNotBracketed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := CounterEnergy(tc.knots, tc.t0, tc.t1)
			if !errors.Is(err, tc.err) {
				t.Fatalf("err = %v, want %v", err, tc.err)
			}
			if err != nil {
				return
			}
			if !near(got.Joules, tc.want) || got.Updates != tc.updates {
				t.Errorf("got %+v, want %v J, %d updates", got, tc.want, tc.updates)
			}
		})
	}
	if _, err := CounterEnergy(lin, 2, 1); err == nil {
		t.Error("reversed window: want an error")
	}
}

func TestKnots(t *testing.T) {
	// A counter stepping every 100 ms (at 40, 140, 240 ms), read every 50 ms
	// from t=0: each step is first seen 10 ms after it happened.
	readings := []Point{{0, 0}, {50 * ms, 10}, {100 * ms, 10}, {150 * ms, 20}, {200 * ms, 20}, {250 * ms, 30}}
	tests := []struct {
		name string
		step int64
		want []Point
	}{
		{"stepped, read twice per step", 100 * ms, []Point{{0, 0}, {25 * ms, 10}, {125 * ms, 20}, {225 * ms, 30}}},
		// Reads 50 ms apart, steps every 20 ms: a step happened at most
		// 20 ms before each read.
		{"stepped, read rarely", 20 * ms, []Point{{0, 0}, {40 * ms, 10}, {140 * ms, 20}, {240 * ms, 30}}},
		{"continuous", 0, readings},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Knots(readings, tc.step)
			if len(got) != len(tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("got %v, want %v", got, tc.want)
				}
			}
		})
	}
	// At a steady 0.1 J/ms the true energy over [100, 140] ms is 4 J. The
	// knots give it; the raw readings interpolate towards the step first
	// seen at 150 ms as if it had been gradual and give 8 J.
	k := Knots(readings, 100*ms)
	got, err := CounterEnergy(k, 100*ms, 140*ms)
	if err != nil || !near(got.Joules, 4) {
		t.Errorf("stepped [100,140] ms = %+v, %v; want 4 J", got, err)
	}
	raw, _ := CounterEnergy(readings, 100*ms, 140*ms)
	if !near(raw.Joules, 8) {
		t.Errorf("raw [100,140] ms = %v; the test's premise is that raw reads 8 J", raw.Joules)
	}
}

func TestTrapezoid(t *testing.T) {
	flat := []Point{{0, 100}, {20 * ms, 100}, {40 * ms, 100}, {60 * ms, 100}}
	ramp := []Point{{0, 0}, {1000 * ms, 100}}
	tests := []struct {
		name    string
		s       []Point
		t0, t1  int64
		want    float64
		updates int
		err     error
	}{
		{"flat whole", flat, 0, 60 * ms, 6, 2, nil},
		{"flat partial", flat, 10 * ms, 50 * ms, 4, 2, nil},
		{"ramp half", ramp, 0, 500 * ms, 12.5, 0, nil},
		{"ramp whole", ramp, 0, 1000 * ms, 50, 0, nil},
		{"ramp middle", ramp, 250 * ms, 750 * ms, 25, 0, nil},
		{"not bracketed", flat, 0, 61 * ms, 0, 0, ErrNotBracketed},
		{"empty", nil, 0, 1, 0, 0, ErrNotBracketed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Trapezoid(tc.s, tc.t0, tc.t1)
			if !errors.Is(err, tc.err) {
				t.Fatalf("err = %v, want %v", err, tc.err)
			}
			if err != nil {
				return
			}
			if !near(got.Joules, tc.want) || got.Updates != tc.updates {
				t.Errorf("got %+v, want %v J, %d samples", got, tc.want, tc.updates)
			}
		})
	}
}

func TestUnwrap(t *testing.T) {
	tests := []struct {
		name string
		raw  []uint64
		max  uint64
		want []float64
	}{
		{"monotonic", []uint64{5, 7, 10}, 100, []float64{0, 2, 5}},
		{"wrap", []uint64{90, 98, 3, 10}, 100, []float64{0, 8, 13, 20}},
		{"reset without range", []uint64{90, 3}, 0, []float64{0, 3}},
		{"empty", nil, 100, []float64{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Unwrap(tc.raw, tc.max)
			if len(got) != len(tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
			for i := range got {
				if !near(got[i], tc.want[i]) {
					t.Fatalf("got %v, want %v", got, tc.want)
				}
			}
		})
	}
}
