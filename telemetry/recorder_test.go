package telemetry

import (
	"context"
	"errors"
	"math"
	"os"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// quiet are options reading nothing of this machine: no powercap, an empty
// proc root.
func quiet(t *testing.T, nvml NVMLOpener) Options {
	return Options{PowercapRoot: t.TempDir() + "/absent", ProcRoot: t.TempDir(), NVML: nvml}
}

// manual opens a recorder without its goroutine on a manual clock.
func manual(t *testing.T, opts Options, c *manualClock) *Recorder {
	t.Helper()
	if opts.CounterInterval == 0 {
		opts.CounterInterval = time.Nanosecond // read the counter at every poll
	}
	r, err := open(context.Background(), opts, c.now, 0, false)
	if err != nil {
		t.Fatal(err)
	}
	r.sleep = func(d time.Duration) { c.add(int64(d)) }
	t.Cleanup(func() { r.Close() })
	return r
}

// run polls every 50 ms of the manual clock up to end.
func run(r *Recorder, c *manualClock, end int64) {
	for c.now()+50*ms <= end {
		c.add(50 * ms)
		r.poll(pollTick)
	}
}

func approx(t *testing.T, what string, got *float64, want, tol float64) {
	t.Helper()
	if got == nil {
		t.Fatalf("%s: nil, want %v", what, want)
	}
	if math.Abs(*got-want) > tol {
		t.Errorf("%s = %v, want %v ± %v", what, *got, want, tol)
	}
}

func TestGPUAttribution(t *testing.T) {
	tests := []struct {
		name      string
		gpu       func(*fakeGPU)
		force     string
		source    string
		samples   int
		tolerance float64
	}{
		// Steps at 537, 637, ..., 2437 ms lie inside [0.5, 2.5] s: 20.
		{"counter", func(*fakeGPU) {}, "", SourceCounter, 20, 1e-6},
		// One sample per 20 ms strictly inside (0.5, 2.5) s: 99.
		{"samples forced", func(*fakeGPU) {}, SourceSamples, SourceSamples, 99, 1e-6},
		{"no counter", func(g *fakeGPU) { g.noCounter = true }, "", SourceSamples, 99, 1e-6},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := &manualClock{}
			g := steady(c.now, 200)
			tc.gpu(g)
			r := manual(t, quiet(t, opener(&fakeLib{gpus: []GPU{g}})), c)
			run(r, c, 3000*ms)
			m := r.EnergyFrom(Mark{500 * ms}, Mark{2500 * ms}, tc.force)[DomainGPU]
			if m.Source != tc.source || m.Samples != tc.samples {
				t.Errorf("source %q, samples %d; want %q, %d (%s)", m.Source, m.Samples, tc.source, tc.samples, m.Reason)
			}
			approx(t, "energy", m.EnergyJ, 400, tc.tolerance)
			approx(t, "power", m.PowerW, 200, 1e-6)
			if m.IdleW != nil || m.ActiveJ != nil {
				t.Errorf("idle %v active %v before Idle", m.IdleW, m.ActiveJ)
			}
		})
	}
}

// A window whose edges fall between counter steps, under a power that
// changes: the counter interpolated at the edges tracks the truth within
// what one counter step can hide, and no better guess exists.
func TestCounterEdges(t *testing.T) {
	c := &manualClock{}
	g := steady(c.now, 0)
	// 100 W until 1 s, 300 W after.
	g.power = func(t int64) float64 { return map[bool]float64{true: 100, false: 300}[t < 1000*ms] }
	g.energyJ = func(t int64) float64 {
		if t < 1000*ms {
			return 100 * float64(t) / 1e9
		}
		return 100 + 300*float64(t-1000*ms)/1e9
	}
	r := manual(t, quiet(t, opener(&fakeLib{gpus: []GPU{g}})), c)
	run(r, c, 3000*ms)
	tests := []struct {
		t0, t1 int64
		want   float64
	}{
		{500 * ms, 900 * ms, 40},
		{1200 * ms, 2210 * ms, 303},
		{1500 * ms, 1510 * ms, 3}, // shorter than a step: interpolated
		{600 * ms, 1400 * ms, 160},
	}
	for _, tc := range tests {
		got := r.Energy(Mark{tc.t0}, Mark{tc.t1})[DomainGPU]
		// A step's time is known to ±25 ms (half the 50 ms interval); near
		// the power change that is worth 200 W x 25 ms = 5 J.
		approx(t, "counter", got.EnergyJ, tc.want, 5)
		s := r.EnergyFrom(Mark{tc.t0}, Mark{tc.t1}, SourceSamples)[DomainGPU]
		approx(t, "samples", s.EnergyJ, tc.want, 200*0.020/2+1e-9)
	}
}

func TestGPUUnavailable(t *testing.T) {
	c := &manualClock{}
	tests := []struct {
		name   string
		nvml   NVMLOpener
		reason string
	}{
		{"missing library", failingOpener(errors.New("load libnvidia-ml.so.1: not found")), "nvml: load libnvidia-ml.so.1: not found"},
		{"no gpu", opener(&fakeLib{}), "nvml: no GPU"},
		{"nothing supported", opener(&fakeLib{gpus: []GPU{&fakeGPU{clock: c.now, noCounter: true, noSamples: true}}}),
			"nvml: gpu0: total energy: Not Supported; power samples: Not Supported"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := manual(t, quiet(t, tc.nvml), c)
			for _, d := range r.Domains() {
				if d.Available || d.Source != SourceUnavailable || d.Reason == "" {
					t.Errorf("domain %+v: want unavailable with a reason", d)
				}
			}
			if got := r.Domains()[0].Reason; got != tc.reason {
				t.Errorf("gpu reason %q, want %q", got, tc.reason)
			}
			run(r, c, c.now()+200*ms)
			for name, m := range r.Energy(Mark{c.now() - 100*ms}, Mark{c.now()}) {
				if m.Source != SourceUnavailable || m.Reason == "" || m.EnergyJ != nil {
					t.Errorf("%s: %+v, want unavailable with a reason and no value", name, m)
				}
			}
		})
	}
}

// On this machine (no NVML, no RAPL) every domain is unavailable with its
// reason; on a GPU machine the gpu domain is measured.
func TestDefaultsHere(t *testing.T) {
	r, err := Open(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for _, d := range r.Domains() {
		if !d.Available && d.Reason == "" {
			t.Errorf("%s unavailable without a reason", d.Name)
		}
		t.Logf("%s: %s %s", d.Name, d.Source, d.Reason)
	}
	if _, err := os.Stat("/sys/class/powercap"); err != nil {
		if d := r.Domains()[1]; !strings.Contains(d.Reason, "no powercap") {
			t.Errorf("cpu_package reason %q, want it to say there is no powercap", d.Reason)
		}
	}
}

func TestBadOptions(t *testing.T) {
	for _, o := range []Options{{Interval: -1}, {ModelCPUTDPWatts: -5}} {
		if r, err := Open(context.Background(), o); err == nil {
			r.Close()
			t.Errorf("Open(%+v) succeeded", o)
		}
	}
}

func TestWindowEdges(t *testing.T) {
	c := &manualClock{}
	c.set(1000 * ms)
	g := steady(c.now, 0) // a counter that never steps
	r := manual(t, quiet(t, opener(&fakeLib{gpus: []GPU{g}})), c)
	run(r, c, 2000*ms)
	tests := []struct {
		name     string
		t0, t1   int64
		source   string
		reason   string
		zeroJ    bool
		waitedMS int64
	}{
		{"before the first reading", 500 * ms, 1500 * ms, SourceUnavailable, "gpu0: window starts before the first reading", false, 0},
		// Ends now: Energy waits up to a second for a step past the end,
		// then takes the unchanged counter as it stands.
		{"counter never steps", 1500 * ms, 2000 * ms, SourceCounter, "", true, 1000},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := c.now()
			m := r.Energy(Mark{tc.t0}, Mark{tc.t1})[DomainGPU]
			if m.Source != tc.source || m.Reason != tc.reason {
				t.Errorf("got %q %q, want %q %q", m.Source, m.Reason, tc.source, tc.reason)
			}
			if tc.zeroJ {
				approx(t, "energy", m.EnergyJ, 0, 0)
			}
			if waited := (c.now() - before) / ms; waited < tc.waitedMS || waited > tc.waitedMS+100 {
				t.Errorf("waited %d ms, want about %d", waited, tc.waitedMS)
			}
		})
	}
}
