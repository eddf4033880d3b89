package stats_test

import (
	"fmt"

	"github.com/tr119/tr119/analysis/stats"
)

// The report's section 10.2: onnxruntime-gpu against transformers-gpu,
// prefill, over the five per-scenario on-demand costs ($/1M tokens).
func ExampleCompare() {
	c := stats.Compare([]stats.Group{
		{Name: "onnxruntime-gpu", Values: []float64{0.1445, 0.09832, 0.1529, 0.1212, 0.1223}},
		{Name: "transformers-gpu", Values: []float64{0.05846, 0.09046, 0.2437, 0.5642, 0.34588}},
	}, 0.95)
	for _, g := range c.Groups {
		fmt.Printf("%s mean %.4f CI [%.4f, %.4f] n %d\n", g.Name, g.Mean, g.CILow, g.CIHigh, g.N)
	}
	p := c.Pairs[0]
	fmt.Printf("%+.0f%% Student p %.3f Welch p %.3f d %.3f\n", p.PctChange, p.Student.P, p.Welch.P, p.CohensD)
	// Output:
	// onnxruntime-gpu mean 0.1278 CI [0.1011, 0.1546] n 5
	// transformers-gpu mean 0.2605 CI [0.0049, 0.5162] n 5
	// +104% Student p 0.190 Welch p 0.224 d 0.907
}
