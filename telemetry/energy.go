package telemetry

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/tr119/tr119/telemetry/series"
)

// edgeWait bounds how long Energy waits, after a window that ends "now",
// for a reading past the window's end: the NVML counter steps about every
// 100 ms, its sample buffer every ~20 ms.
const edgeWait = time.Second

// pollStep is the pause between synchronous polls while waiting; a GPU
// counter read costs ~4 ms of CPU, so not much less.
const pollStep = 20 * time.Millisecond

// Mark is an instant on the recorder's monotonic clock: a window edge.
type Mark struct{ t int64 }

// Offset is the mark's time since the recorder started, the time base of
// the t_ns column of the samples table.
func (m Mark) Offset() time.Duration { return time.Duration(m.t) }

// Add returns the mark d later (earlier for a negative d), e.g. to skip
// a settling time at the start of a window.
func (m Mark) Add(d time.Duration) Mark { return Mark{m.t + int64(d)} }

// Mark returns the current instant as a window edge. It reads no device
// itself and never blocks: it asks the sampling goroutine to read the GPU
// energy counters now and one counter step later, so that readings
// bracket the edge closely.
func (r *Recorder) Mark() Mark {
	m := Mark{r.clock()}
	select {
	case r.kick <- struct{}{}:
	default: // a read is already asked for
	}
	return m
}

// Measurement is the energy of one domain over one window. Nil pointers
// are values that were not measured (the runs table's nulls).
type Measurement struct {
	// Source is SourceCounter, SourceSamples, SourceModeled or
	// SourceUnavailable.
	Source string
	// Reason says why the value is unavailable or modeled; "" otherwise.
	Reason string
	// EnergyJ is the total energy over the window, joules.
	EnergyJ *float64
	// ActiveJ is EnergyJ less IdleW times the window's duration; nil until
	// Idle has measured a baseline. It may be slightly negative for a
	// window as quiet as the baseline: it is not clamped, which would bias
	// means upwards.
	ActiveJ *float64
	// PowerW is the mean power over the window, EnergyJ / duration.
	PowerW *float64
	// IdleW is the idle baseline power of the domain; nil until Idle.
	IdleW *float64
	// Samples is the evidence inside the window: counter readings that
	// showed a new value (counter; the GPU counter is read at Marks and
	// every CounterInterval, so a 2 s window marked at both edges
	// typically holds 2), power samples (samples), or /proc/stat
	// readings (modeled).
	Samples int
}

// Energy attributes energy to the window [from, to] for every domain,
// using each domain's best source (see the package doc). When the window
// ends at or after the newest reading it reads the devices at once and, if
// needed, waits (up to a second) until a reading past the window's end
// exists, so interpolation brackets the edge. The window is recorded in
// the samples table.
func (r *Recorder) Energy(from, to Mark) map[string]Measurement {
	return r.attribute(from, to, "")
}

// EnergyFrom is Energy forcing the GPU source: SourceCounter or
// SourceSamples, to compare the two over one window. Other domains use
// their best source.
func (r *Recorder) EnergyFrom(from, to Mark, source string) map[string]Measurement {
	return r.attribute(from, to, source)
}

func (r *Recorder) attribute(from, to Mark, force string) map[string]Measurement {
	deadline := max(to.t, r.clock()) + int64(edgeWait)
	// A counter step past the edge takes up to one step; the Mark's
	// follow-up read may bring it without a read of our own.
	settle := to.t + int64(gpuCounterStep) + int64(5*time.Millisecond)
	polled := false
	var m map[string]Measurement
	for {
		var pending bool
		m, pending = r.compute(from.t, to.t, force, false)
		if !pending {
			break
		}
		r.pollMu.Lock()
		closed := r.closed
		r.pollMu.Unlock()
		now := r.clock()
		if closed || now > deadline {
			m, _ = r.compute(from.t, to.t, force, true)
			break
		}
		if now < settle {
			r.sleep(time.Duration(settle - now))
			continue
		}
		if polled {
			r.sleep(pollStep)
		}
		r.poll(pollAll)
		polled = true
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	n := float64(r.windows)
	r.windows++
	r.data.add(key{"window", "", chWinStart}, point(from.t, n))
	r.data.add(key{"window", "", chWinEnd}, point(to.t, n))
	dur := float64(to.t-from.t) / 1e9
	for d, x := range m {
		if x.EnergyJ == nil {
			continue
		}
		if dur > 0 {
			x.PowerW = ptr(*x.EnergyJ / dur)
		}
		if w, ok := r.idle[d]; ok {
			x.IdleW = ptr(w)
			x.ActiveJ = ptr(*x.EnergyJ - w*dur)
		}
		m[d] = x
	}
	return m
}

// Idle measures the idle baseline: it waits d (the caller keeps the
// machine quiet) and returns the mean power per available domain over it.
// Later windows' ActiveJ subtract it.
func (r *Recorder) Idle(ctx context.Context, d time.Duration) (map[string]float64, error) {
	from := r.Mark()
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return nil, fmt.Errorf("idle baseline: %w", ctx.Err())
	case <-t.C:
	}
	to := r.Mark()
	m := r.attribute(from, to, "")
	dur := float64(to.t-from.t) / 1e9
	idle := map[string]float64{}
	for name, x := range m {
		if x.EnergyJ != nil && dur > 0 {
			idle[name] = *x.EnergyJ / dur
		}
	}
	r.mu.Lock()
	r.idle = idle
	r.mu.Unlock()
	out := make(map[string]float64, len(idle))
	for k, v := range idle {
		out[k] = v
	}
	return out, nil
}

// errPending marks a window whose end no reading has passed yet.
var errPending = errors.New("no reading after the window's end yet")

// compute attributes [t0, t1] per domain from the stored readings.
// pending is true when some domain lacks a reading past t1; final accepts
// that and closes stepped counters with their newest reading.
func (r *Recorder) compute(t0, t1 int64, force string, final bool) (map[string]Measurement, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := map[string]Measurement{}
	pending := false
	for name, st := range r.domains {
		var res series.Result
		var src string
		var err error
		switch {
		case !st.Available:
			out[name] = Measurement{Source: SourceUnavailable, Reason: st.Reason}
			continue
		case name == DomainGPU:
			res, src, err = r.gpuEnergy(t0, t1, force, final)
		case st.Source == SourceModeled:
			res, err = r.modeledCPU(t0, t1, final)
			src = SourceModeled
		default:
			res, err = r.raplEnergy(name, t0, t1, final)
			src = SourceCounter
		}
		if errors.Is(err, errPending) {
			pending = true
		}
		if err != nil {
			out[name] = Measurement{Source: SourceUnavailable, Reason: err.Error()}
			continue
		}
		reason := ""
		if src == SourceModeled {
			reason = st.Reason
		}
		out[name] = Measurement{Source: src, Reason: reason, EnergyJ: ptr(res.Joules), Samples: res.Updates}
	}
	return out, pending
}

func ptr(v float64) *float64 { return &v }
