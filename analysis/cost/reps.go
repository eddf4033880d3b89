package cost

import "math"

// RepCosts prices each repetition as Analyse prices a cell: seconds per 1M
// tokens at usdPerHour, plus, when kwh is given, kWh per 1M tokens at
// usdPerKWh. Cost is linear in time and energy, so these are the samples
// behind a total's CI and behind any test that compares costs.
func RepCosts(seconds, kwh []float64, usdPerHour, usdPerKWh float64) []float64 {
	out := make([]float64, len(seconds))
	for i, sec := range seconds {
		out[i] = sec / 3600 * usdPerHour
		if kwh != nil {
			out[i] += kwh[i] * usdPerKWh
		}
	}
	return out
}

// AppliedUSDPerKWh is the electricity price behind a priced cell: its
// energy $ per 1M tokens over its mean kWh per 1M tokens. It is 0 for a
// cell that used no energy and NaN for one without energy.
func AppliedUSDPerKWh(energyUSD, meanKWh float64) float64 {
	switch {
	case meanKWh == 0:
		return 0
	case meanKWh > 0 && !math.IsNaN(energyUSD):
		return energyUSD / meanKWh
	}
	return math.NaN()
}
