package telemetry

import (
	"fmt"

	"github.com/tr119/tr119/telemetry/series"
)

// Usage is what procfs says of a window: the recording process's CPU
// time and memory, and the system's CPU utilisation.
type Usage struct {
	// ProcessCPUSeconds is the process's user+system CPU time in the window.
	ProcessCPUSeconds float64
	// SystemCPUUtil is the busy fraction of all CPUs over the window, 0..1.
	SystemCPUUtil float64
	// MaxRSSBytes is the largest RSS sampled inside the window (samples
	// every Interval: a shorter spike can be missed).
	MaxRSSBytes int64
	// PeakRSSBytes is the process's lifetime peak RSS (VmHWM) at the
	// window's end.
	PeakRSSBytes int64
}

// Usage returns the procfs figures of [from, to]. It reads /proc at once
// when the window ends after the newest reading.
func (r *Recorder) Usage(from, to Mark) (Usage, error) {
	r.mu.Lock()
	// The peak is read less often than CPU time: both must reach the
	// window's end, or the window ends past what was sampled.
	stale := false
	for _, ch := range []string{chProcCPU, chProcPeakRSS} {
		last := r.data.get(key{"process", "self", ch})
		stale = stale || len(last) == 0 || last[len(last)-1].T < to.t
	}
	r.mu.Unlock()
	if stale {
		r.poll(pollAll)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	var u Usage
	get := func(dom, dev, ch string) []series.Point {
		return around(r.data.get(key{dom, dev, ch}), from.t, to.t, r.margin())
	}
	cpu, err := edge(get("process", "self", chProcCPU), from.t, to.t, series.CounterEnergy)
	if err != nil {
		return u, fmt.Errorf("process cpu time: %w", err)
	}
	u.ProcessCPUSeconds = cpu.Joules
	busy, err1 := edge(get("system", "", chCPUBusy), from.t, to.t, series.CounterEnergy)
	total, err2 := edge(get("system", "", chCPUTotal), from.t, to.t, series.CounterEnergy)
	if err1 == nil && err2 == nil && total.Joules > 0 {
		// Clamped: interpolating both counters can round a fully busy
		// window to a hair over 1.
		u.SystemCPUUtil = min(1, max(0, busy.Joules/total.Joules))
	}
	for _, p := range get("process", "self", chProcRSS) {
		if p.T >= from.t && p.T <= to.t {
			u.MaxRSSBytes = max(u.MaxRSSBytes, int64(p.V))
		}
	}
	if v, ok := series.At(get("process", "self", chProcPeakRSS), to.t); ok {
		u.PeakRSSBytes = int64(v)
	}
	return u, nil
}
