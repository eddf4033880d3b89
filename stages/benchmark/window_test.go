package benchmark

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/tr119/tr119/artifacts"
)

// wattMeter is a meter whose gpu domain draws a constant 100 W.
type wattMeter struct{ noMeter }

func (wattMeter) Available() bool { return true }
func (wattMeter) Between(a, b mark) map[string]measurement {
	j := 100 * b.t.Sub(a.t).Seconds()
	return map[string]measurement{artifacts.DomainGPU: {EnergyJ: ptr(j), PowerW: ptr(100.0), Samples: 3, Source: artifacts.SourceCounter}}
}

// TestEnergyWindowLoops: with an energy domain, each repetition loops its
// call until the window reaches min_energy_window; the row keeps the mean
// per-call latency, the loop count and the energy of one call.
func TestEnergyWindowLoops(t *testing.T) {
	k := fakeKind(&fakeBackend{})
	k.meter = func(context.Context, *config, *slog.Logger, int) (energyMeter, error) { return &wattMeter{}, nil }
	tbl, _ := runTable(t, k, fakeBody+"min_energy_window = \"5ms\"\n", "")
	warm := col(t, tbl, artifacts.ColWarmup, artifacts.BoolCol)
	calls := col(t, tbl, artifacts.ColWindowCalls, artifacts.Int64Col)
	win, _, _ := artifacts.Float64Col(tbl, artifacts.ColWindowMS)
	lat, _, _ := artifacts.Float64Col(tbl, artifacts.ColLatencyMS)
	energy, _, _ := artifacts.Float64Col(tbl, artifacts.DomainCol(artifacts.DomainGPU, artifacts.SufEnergyJ))
	src := col(t, tbl, artifacts.DomainCol(artifacts.DomainGPU, artifacts.SufSource), artifacts.StringCol)
	for i := range calls {
		if warm[i] {
			if calls[i] != 1 {
				t.Errorf("row %d: warmup looped %d calls", i, calls[i])
			}
			continue
		}
		if calls[i] < 2 || win[i] < float64(5*time.Millisecond)/1e6*0.5 {
			t.Errorf("row %d: window of %d calls, %v ms", i, calls[i], win[i])
		}
		if lat[i]*float64(calls[i]) > win[i] {
			t.Errorf("row %d: %d calls of %v ms do not fit the %v ms window", i, calls[i], lat[i], win[i])
		}
		// 100 W over a window of at least the calls' time, divided per call.
		if perCall := energy[i]; perCall < 100*lat[i]/1000*0.99 || src[i] != artifacts.SourceCounter {
			t.Errorf("row %d: energy per call %v J for %v ms at 100 W (%s)", i, perCall, lat[i], src[i])
		}
	}
}
