package telemetry

import (
	"time"

	"github.com/tr119/tr119/telemetry/series"
)

// reading is one value read during a poll, stored under its key.
type reading struct {
	k key
	p series.Point
}

// What a poll reads.
type pollKind int

const (
	// pollTick is the interval's poll: RAPL, and procfs, the GPU's
	// counters, samples and status when their own periods are due.
	pollTick pollKind = iota
	// pollEdge is a Mark's: the GPU energy counters (unless read in the
	// last minCounterGap), RAPL and procfs.
	pollEdge
	// pollAll reads everything at once.
	pollAll
)

// poll reads the samplers and stores the readings. The device reads
// happen outside r.mu so attribution never waits on a slow driver call.
func (r *Recorder) poll(kind pollKind) {
	r.pollMu.Lock()
	defer r.pollMu.Unlock()
	if r.closed {
		return
	}
	now := r.clock()
	due := func(last *int64, period time.Duration) bool {
		if kind == pollAll || now-*last >= int64(period) || r.ticks == 0 {
			*last = now
			return true
		}
		return false
	}
	var counters bool
	if kind == pollEdge {
		// Marks may come faster than is worth reading the counter.
		counters = now-r.lastCounter >= int64(minCounterGap)
	} else {
		counters = due(&r.lastCounter, r.opts.CounterInterval)
	}
	if counters {
		r.lastCounter = now
	}
	var samples, status bool
	if kind != pollEdge {
		samples = due(&r.lastSamples, samplesPeriod)
		status = due(&r.lastStatus, statusPeriod)
	}
	proc := kind == pollEdge || due(&r.lastProc, procPeriod)
	r.ticks++
	var rs []reading
	for _, g := range r.gpus {
		rs = r.pollGPU(rs, g, counters, samples, status)
	}
	for _, z := range r.zones {
		rs = r.pollZone(rs, z)
	}
	if proc {
		rs = r.pollProc(rs, status)
	}
	r.mu.Lock()
	for _, x := range rs {
		r.data.add(x.k, x.p)
	}
	r.mu.Unlock()
}

func (r *Recorder) pollGPU(rs []reading, g *gpuState, counter, samples, status bool) []reading {
	if g.counter && counter {
		t0 := r.clock()
		mj, err := g.dev.EnergyMJ()
		t1 := r.clock()
		if err != nil {
			r.log.Debug("gpu energy", "gpu", g.name, "err", err)
		} else {
			// The read took t1-t0; its middle is the best guess of when
			// the value was taken.
			rs = append(rs, reading{key{DomainGPU, g.name, chEnergyJ}, point(t0+(t1-t0)/2, float64(mj)/1000)})
		}
	}
	if g.samples && samples {
		ps, err := g.dev.PowerSamples()
		if err != nil {
			r.log.Debug("gpu power samples", "gpu", g.name, "err", err)
		}
		for _, p := range ps {
			rs = append(rs, reading{key{DomainGPU, g.name, chPowerSample}, point(p.T-r.wallBase, p.V)})
		}
	}
	if status {
		t := r.clock()
		st, err := g.dev.Status()
		if err != nil {
			r.log.Debug("gpu status", "gpu", g.name, "err", err)
		}
		for k, v := range st {
			rs = append(rs, reading{key{DomainGPU, g.name, k}, point(t, v)})
		}
	}
	return rs
}

func (r *Recorder) pollZone(rs []reading, z *zoneState) []reading {
	t := r.clock()
	uj, err := z.z.EnergyUJ()
	if err != nil {
		r.log.Debug("rapl energy", "zone", z.z.Dir, "err", err)
		return rs
	}
	if !z.first {
		z.cumJ += float64(series.Step(z.last, uj, z.z.MaxRangeUJ)) / 1e6
	}
	z.first, z.last = false, uj
	return append(rs, reading{key{z.z.Domain, z.z.Dir, chEnergyJ}, point(t, z.cumJ)})
}

// pollProc reads the system's CPU times and the process's CPU time and
// RSS; the peak RSS (from the costlier status file) only with the status.
func (r *Recorder) pollProc(rs []reading, peak bool) []reading {
	t := r.clock()
	if c, err := r.proc.CPU(); err == nil {
		rs = append(rs,
			reading{key{"system", "", chCPUBusy}, point(t, c.Busy)},
			reading{key{"system", "", chCPUTotal}, point(t, c.Total)})
	} else {
		r.log.Debug("system cpu", "err", err)
	}
	if s, err := r.proc.CPUSeconds(); err == nil {
		rs = append(rs, reading{key{"process", "self", chProcCPU}, point(t, s)})
	} else {
		r.log.Debug("process cpu", "err", err)
	}
	if b, err := r.proc.RSS(); err == nil {
		rs = append(rs, reading{key{"process", "self", chProcRSS}, point(t, float64(b))})
	} else {
		r.log.Debug("process rss", "err", err)
	}
	if peak {
		if p, err := r.proc.Process(); err == nil {
			rs = append(rs, reading{key{"process", "self", chProcPeakRSS}, point(t, float64(p.PeakRSSBytes))})
		} else {
			r.log.Debug("process peak rss", "err", err)
		}
	}
	return rs
}
