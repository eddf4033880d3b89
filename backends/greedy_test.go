package backends

import (
	"errors"
	"math"
	"testing"
)

func TestArgmax(t *testing.T) {
	nan := float32(math.NaN())
	tests := []struct {
		name    string
		in      []float32
		want    int64
		invalid bool
	}{
		{"first", []float32{3, 1, 2}, 0, false},
		{"last", []float32{1, 2, 3}, 2, false},
		{"tie takes first", []float32{1, 5, 5}, 1, false},
		{"all -inf", []float32{float32(math.Inf(-1)), float32(math.Inf(-1))}, 0, false},
		{"nan", []float32{1, nan, 3}, 0, true},
		{"empty", nil, 0, true},
	}
	for _, tt := range tests {
		got, err := Argmax(tt.in)
		if tt.invalid {
			if !errors.Is(err, ErrInvariant) {
				t.Errorf("%s: err %v, want ErrInvariant", tt.name, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("%s: %d, %v; want %d", tt.name, got, err, tt.want)
		}
	}
}

func TestCheckFinite(t *testing.T) {
	if err := CheckFinite("x", []float32{1, 2}); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []float32{float32(math.NaN()), float32(math.Inf(1))} {
		if err := CheckFinite("x", []float32{1, bad}); !errors.Is(err, ErrInvariant) {
			t.Errorf("%v: err %v", bad, err)
		}
	}
}

func TestSteps(t *testing.T) {
	tests := []struct {
		s    Shape
		want int
	}{
		{Shape{SeqLen: 11, MaxNewTokens: 8, MaxSeqLen: 512}, 8},
		{Shape{SeqLen: 508, MaxNewTokens: 8, MaxSeqLen: 512}, 4},
		{Shape{SeqLen: 600, MaxNewTokens: 8, MaxSeqLen: 512}, 0},
		{Shape{SeqLen: 11, MaxNewTokens: 8}, 8},
	}
	for _, tt := range tests {
		if got := tt.s.Steps(); got != tt.want {
			t.Errorf("%+v: %d, want %d", tt.s, got, tt.want)
		}
	}
}
