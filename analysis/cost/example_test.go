package cost_test

import (
	"fmt"

	"github.com/tr119/tr119/analysis/cost"
	"github.com/tr119/tr119/analysis/runs"
)

// The report's 5.1 first row: onnxruntime-gpu prefill at 456.1 s per 1M
// tokens (printed rounded as 456) and 16.47 W, priced with its section
// 4.3 inputs: $0.1279 per 1M on demand, 0.002087 kWh, 1.043 g.
func ExampleAnalyse() {
	sec := 456.1
	cell := runs.Cell{Backend: "onnxruntime-gpu", Scenario: "mean", Mode: "prefill", DeviceClass: "gpu", Rows: 1,
		Reps: []runs.Rep{{Prompts: 1, Tokens: 1e6, Seconds: sec, EnergyJ: 16.47 * sec, HasEnergy: true}}}
	res, err := cost.Analyse([]runs.Cell{cell}, cost.Config{
		Tiers:     []cost.Tier{{Name: "on_demand", All: 1.006}, {Name: "spot", All: 0.302}},
		USDPerKWh: 0.20, CarbonGPerKWh: 500,
	})
	if err != nil {
		panic(err)
	}
	for _, s := range res.Summary {
		fmt.Printf("%-11s %.0f s/1M  %.6f kWh  %.3f g  $%.4f (infra %.4f + energy %.6f)\n",
			s.Tier, s.Seconds, s.KWh, s.Carbon, s.Total, s.Infra, s.Energy)
	}
	// Output:
	// on_demand   456 s/1M  0.002087 kWh  1.043 g  $0.1279 (infra 0.1275 + energy 0.000417)
	// spot        456 s/1M  0.002087 kWh  1.043 g  $0.0387 (infra 0.0383 + energy 0.000417)
	// energy_only 456 s/1M  0.002087 kWh  1.043 g  $0.0004 (infra 0.0000 + energy 0.000417)
}
