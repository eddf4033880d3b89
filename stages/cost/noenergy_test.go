package cost_test

import (
	"os"
	"strings"
	"testing"

	rt "github.com/tr119/tr119/stages/internal/reporttest"
)

// TestNoEnergyPriceWarning: without any energy reading the electricity
// price cannot change a cost, and cost_analysis.json's notes say so.
func TestNoEnergyPriceWarning(t *testing.T) {
	csv := rt.Build(t, rt.Spec{Scenarios: []string{"chat"}, Backends: []rt.Backend{
		{Name: "a-cpu", Class: "cpu", TokPerS: rt.Steady(1000), Noise: 0.01}}})
	fx, err := rt.Pipeline(t, csv, rt.Pricing(1, 0.2), "")
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(fx["cost.json"].Path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "no cell has an energy reading: energy.usd_per_kwh (0.2) and carbon_g_per_kwh have no effect on any cost") {
		t.Errorf("cost_analysis.json lacks the no-effect note:\n%s", b[:min(len(b), 1500)])
	}
}
