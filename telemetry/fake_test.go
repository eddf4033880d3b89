package telemetry

import (
	"errors"
	"sync/atomic"

	"github.com/tr119/tr119/telemetry/series"
)

const ms = int64(1e6)

// manualClock is a clock the test moves by hand.
type manualClock struct{ t atomic.Int64 }

func (c *manualClock) now() int64  { return c.t.Load() }
func (c *manualClock) set(t int64) { c.t.Store(t) }
func (c *manualClock) add(d int64) { c.t.Add(d) }
func constPower(w float64) func(int64) float64 {
	return func(int64) float64 { return w }
}

// fakeGPU is a scripted GPU: its true power and cumulative energy are
// functions of the recorder's clock; the counter reports the energy at its
// last step (every step ns, at phase + k*step), like NVML's; the sample
// buffer holds one power sample every sampleEvery ns.
type fakeGPU struct {
	clock                func() int64
	power                func(t int64) float64
	energyJ              func(t int64) float64
	step, phase          int64
	sampleEvery          int64
	lastSample           int64
	noCounter, noSamples bool
}

func (g *fakeGPU) Name() string { return "Fake GPU" }

func (g *fakeGPU) EnergyMJ() (uint64, error) {
	if g.noCounter {
		return 0, errors.New("total energy: Not Supported")
	}
	t := g.clock()
	u := (t-g.phase)/g.step*g.step + g.phase
	if u > t {
		u -= g.step
	}
	return uint64(g.energyJ(u) * 1000), nil
}

func (g *fakeGPU) PowerSamples() ([]series.Point, error) {
	if g.noSamples {
		return nil, errors.New("power samples: Not Supported")
	}
	var out []series.Point
	for s := g.lastSample + g.sampleEvery; s <= g.clock(); s += g.sampleEvery {
		out = append(out, series.Point{T: s, V: g.power(s)})
		g.lastSample = s
	}
	return out, nil
}

func (g *fakeGPU) Status() (map[string]float64, error) {
	return map[string]float64{"util_gpu_pct": 50, "power_limit_w": 700}, nil
}

type fakeLib struct {
	gpus   []GPU
	closed atomic.Bool
}

func (l *fakeLib) GPUs() []GPU { return l.gpus }
func (l *fakeLib) Info() map[string]string {
	return map[string]string{"driver_version": "580.0", "gpu0.name": "Fake GPU"}
}
func (l *fakeLib) Close() error { l.closed.Store(true); return nil }

func opener(l *fakeLib) NVMLOpener { return func() (GPULib, error) { return l, nil } }

func failingOpener(err error) NVMLOpener { return func() (GPULib, error) { return nil, err } }

// steady returns a fake GPU at a constant w watts on clock.
func steady(clock func() int64, w float64) *fakeGPU {
	return &fakeGPU{
		clock:       clock,
		power:       constPower(w),
		energyJ:     func(t int64) float64 { return w * float64(t) / 1e9 },
		step:        100 * ms,
		phase:       37 * ms,
		sampleEvery: 20 * ms,
		lastSample:  -20 * ms,
	}
}
