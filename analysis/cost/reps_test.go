package cost

import (
	"math"
	"slices"
	"testing"
)

func TestRepCosts(t *testing.T) {
	sec := []float64{3600, 7200}
	kwh := []float64{1, 3}
	if got, want := RepCosts(sec, nil, 2, 0.5), []float64{2, 4}; !slices.Equal(got, want) {
		t.Errorf("infra %v, want %v", got, want)
	}
	if got, want := RepCosts(sec, kwh, 2, 0.5), []float64{2.5, 5.5}; !slices.Equal(got, want) {
		t.Errorf("total %v, want %v", got, want)
	}
}

func TestAppliedUSDPerKWh(t *testing.T) {
	for _, tc := range []struct {
		name           string
		energyUSD, kwh float64
		want           float64
	}{
		{"priced", 0.4, 2, 0.2},
		{"no energy used", 0, 0, 0},
		{"energy not measured", math.NaN(), math.NaN(), math.NaN()},
		{"energy not priced", math.NaN(), 2, math.NaN()},
	} {
		got := AppliedUSDPerKWh(tc.energyUSD, tc.kwh)
		if got != tc.want && !(math.IsNaN(got) && math.IsNaN(tc.want)) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}
