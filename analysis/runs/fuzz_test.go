package runs

import (
	"testing"
)

// FuzzCells feeds arbitrary values into one counted row beside a good one:
// Cells returns cells or an error, never panics.
func FuzzCells(f *testing.F) {
	f.Add(10.0, int64(10), 1.0, 1000.0, "prefill", "cpu", int64(0), false)
	f.Add(-1.0, int64(0), -5.0, 0.0, "decode", "gpu", int64(-3), true)
	f.Add(1e308, int64(1<<62), 1e308, -1e308, "x", "", int64(1<<40), false)
	f.Fuzz(func(t *testing.T, latency float64, tokens int64, energy, throughput float64, mode, class string, rep int64, active bool) {
		rs := []row{
			{"a", "s", "prefill", "cpu", 0, 10, 10, 1, false, false, ""},
			{"a", "s", mode, class, rep, tokens, latency, energy, false, false, ""},
		}
		r := build(rs)
		r.Throughput[1] = throughput
		opt := Options{}
		if active {
			opt.Basis = BasisActive
		}
		cells, err := Cells(r, opt)
		if err == nil && len(cells) == 0 {
			t.Fatal("no error and no cells")
		}
	})
}
