package telemetry

import (
	"errors"
	"fmt"

	"github.com/tr119/tr119/telemetry/series"
)

// margin is how much history before a window's start attribution looks
// at: enough for many counter steps, so the first knot is not the
// recorder's first reading.
func (r *Recorder) margin() int64 { return int64(2e9) + 4*int64(r.opts.Interval) }

// edge attributes [t0, t1] over pts with f, telling a window that starts
// before the first reading (an error) from one whose end no reading has
// passed yet (errPending).
func edge(pts []series.Point, t0, t1 int64, f func([]series.Point, int64, int64) (series.Result, error)) (series.Result, error) {
	res, err := f(pts, t0, t1)
	if err == nil {
		return res, nil
	}
	switch {
	case len(pts) == 0:
		return res, errors.New("no readings")
	case t0 < pts[0].T:
		return res, fmt.Errorf("window starts before the first reading")
	case t1 > pts[len(pts)-1].T:
		return res, errPending
	}
	return res, err
}

// gpuEnergy sums every GPU's energy over [t0, t1]. Each GPU uses its
// counter (stepped: see series.Knots) unless force says samples or it has
// none; the domain's source is the weakest used.
func (r *Recorder) gpuEnergy(t0, t1 int64, force string, final bool) (series.Result, string, error) {
	var sum series.Result
	src := SourceCounter
	for _, g := range r.gpus {
		useCounter := g.counter && force != SourceSamples
		if force == SourceCounter && !g.counter {
			return sum, "", fmt.Errorf("%s has no energy counter", g.name)
		}
		if force == SourceSamples && !g.samples {
			return sum, "", fmt.Errorf("%s has no power samples", g.name)
		}
		var res series.Result
		var err error
		if useCounter {
			raw := around(r.data.get(key{DomainGPU, g.name, chEnergyJ}), t0, t1, r.margin())
			knots := series.Knots(raw, int64(gpuCounterStep))
			if final && len(raw) > 0 && raw[len(raw)-1].T > knots[len(knots)-1].T {
				// The counter has not stepped since: its value holds up to
				// the newest reading.
				knots = append(knots[:len(knots):len(knots)], raw[len(raw)-1])
			}
			res, err = edge(knots, t0, t1, series.CounterEnergy)
		} else {
			src = SourceSamples
			pts := around(r.data.get(key{DomainGPU, g.name, chPowerSample}), t0, t1, r.margin())
			res, err = edge(pts, t0, t1, series.Trapezoid)
		}
		if err != nil {
			return sum, "", fmt.Errorf("%s: %w", g.name, err)
		}
		sum.Joules += res.Joules
		sum.Updates += res.Updates
	}
	return sum, src, nil
}

// raplEnergy sums the counters of every zone of domain over [t0, t1].
// RAPL counters advance every ~1 ms, far faster than they are read, so
// each reading is a knot.
func (r *Recorder) raplEnergy(domain string, t0, t1 int64, final bool) (series.Result, error) {
	var sum series.Result
	for _, z := range r.zones {
		if z.z.Domain != domain {
			continue
		}
		pts := around(r.data.get(key{domain, z.z.Dir, chEnergyJ}), t0, t1, r.margin())
		res, err := edge(pts, t0, t1, series.CounterEnergy)
		if err != nil {
			return sum, fmt.Errorf("%s: %w", z.z.Dir, err)
		}
		sum.Joules += res.Joules
		sum.Updates += res.Updates
	}
	return sum, nil
}

// modeledCPU is ModelCPUTDPWatts times the system CPU utilisation over
// [t0, t1] (busy over total CPU time from /proc/stat), times the window.
func (r *Recorder) modeledCPU(t0, t1 int64, final bool) (series.Result, error) {
	busy := around(r.data.get(key{"system", "", chCPUBusy}), t0, t1, r.margin())
	total := around(r.data.get(key{"system", "", chCPUTotal}), t0, t1, r.margin())
	b, err := edge(busy, t0, t1, series.CounterEnergy)
	if err != nil {
		return b, fmt.Errorf("cpu model: %w", err)
	}
	tot, err := edge(total, t0, t1, series.CounterEnergy)
	if err != nil {
		return b, fmt.Errorf("cpu model: %w", err)
	}
	if tot.Joules <= 0 {
		return b, fmt.Errorf("cpu model: no CPU time passed in /proc/stat over the window")
	}
	util := b.Joules / tot.Joules
	return series.Result{Joules: r.opts.ModelCPUTDPWatts * util * float64(t1-t0) / 1e9, Updates: b.Updates}, nil
}
