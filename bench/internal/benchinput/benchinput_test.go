package benchinput

import (
	"math"
	"testing"
)

func TestDefault(t *testing.T) {
	got, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 5 {
		t.Fatalf("%d shapes, want 5", len(got))
	}
	for _, s := range got {
		if len(s.IDs) != s.Batch*s.SeqLen || len(s.Mask) != len(s.IDs) {
			t.Errorf("%s: %d ids, %d mask for %d x %d", s.Name, len(s.IDs), len(s.Mask), s.Batch, s.SeqLen)
		}
	}
	if got[3].Name != "batch_short" || got[3].Batch != 4 {
		t.Errorf("shape 4 is %s x %d, want batch_short x 4", got[3].Name, got[3].Batch)
	}
}

func TestMedian(t *testing.T) {
	for _, tc := range []struct {
		v    []float64
		want float64
	}{{[]float64{3, 1, 2}, 2}, {[]float64{4, 1, 3, 2}, 2.5}, {[]float64{7}, 7}} {
		if got := Median(tc.v); got != tc.want {
			t.Errorf("Median(%v) = %v, want %v", tc.v, got, tc.want)
		}
	}
}

func TestMedianOfNothingIsNaN(t *testing.T) {
	if !math.IsNaN(Median(nil)) {
		t.Error("Median(nil) is not NaN")
	}
}
