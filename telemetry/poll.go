package telemetry

import (
	"github.com/tr119/tr119/telemetry/series"
)

// reading is one value read during a poll, stored under its key.
type reading struct {
	k key
	p series.Point
}

// poll reads every sampler once and stores the readings. The device reads
// happen outside r.mu so attribution never waits on a slow driver call.
func (r *Recorder) poll() {
	r.pollMu.Lock()
	defer r.pollMu.Unlock()
	if r.closed {
		return
	}
	r.ticks++
	var rs []reading
	for _, g := range r.gpus {
		rs = r.pollGPU(rs, g)
	}
	for _, z := range r.zones {
		rs = r.pollZone(rs, z)
	}
	rs = r.pollProc(rs)
	r.mu.Lock()
	for _, x := range rs {
		r.data.add(x.k, x.p)
	}
	r.mu.Unlock()
}

func (r *Recorder) pollGPU(rs []reading, g *gpuState) []reading {
	if g.counter {
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
	if g.samples {
		ps, err := g.dev.PowerSamples()
		if err != nil {
			r.log.Debug("gpu power samples", "gpu", g.name, "err", err)
		}
		for _, p := range ps {
			rs = append(rs, reading{key{DomainGPU, g.name, chPowerSample}, point(p.T-r.wallBase, p.V)})
		}
	}
	if (r.ticks-1)%statusEvery == 0 {
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

func (r *Recorder) pollProc(rs []reading) []reading {
	t := r.clock()
	if c, err := r.proc.CPU(); err == nil {
		rs = append(rs,
			reading{key{"system", "", chCPUBusy}, point(t, c.Busy)},
			reading{key{"system", "", chCPUTotal}, point(t, c.Total)})
	} else {
		r.log.Debug("system cpu", "err", err)
	}
	if p, err := r.proc.Process(); err == nil {
		rs = append(rs,
			reading{key{"process", "self", chProcCPU}, point(t, p.CPUSeconds)},
			reading{key{"process", "self", chProcRSS}, point(t, float64(p.RSSBytes))},
			reading{key{"process", "self", chProcPeakRSS}, point(t, float64(p.PeakRSSBytes))})
	} else {
		r.log.Debug("process", "err", err)
	}
	return rs
}
