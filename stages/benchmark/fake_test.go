package benchmark

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"sync/atomic"
	"time"

	"github.com/zclconf/go-cty/cty"

	"github.com/tr119/tr119/backends"
	"github.com/tr119/tr119/backends/onnxruntime"
	"github.com/tr119/tr119/engine"
	"github.com/tr119/tr119/schema"
)

// fakeBackend scripts a backend: each call produces tokens per step, and
// the behaviour hook can fail, stall or corrupt chosen calls.
type fakeBackend struct {
	openErr error
	calls   atomic.Int64
	// unsupported is a mode Prepare refuses; prepared counts Prepare
	// calls per mode.
	unsupported backends.Mode
	prepared    map[backends.Mode]int
	// looper makes runners loop calls themselves (backends.Looper), each
	// call timed at loopLatency.
	looper bool
	untils []backends.Until // every Loop request, in order
	// usage makes the model report its own usage (backends.UsageReporter).
	usage bool
	// pid makes the model's calls "run" in that process (backends.Process).
	pid int
	// behave returns what call n (1-based, over the whole stage) does.
	behave func(n int64, mode backends.Mode) fakeCall
}

type fakeCall struct {
	err      error
	nan      bool
	noTokens bool
	stall    bool
}

func (f *fakeBackend) Open(ctx context.Context, dir string, o backends.Options) (backends.Model, error) {
	if f.openErr != nil {
		return nil, f.openErr
	}
	if f.usage {
		return &reportingModel{fakeModel: fakeModel{f: f}}, nil
	}
	if f.pid != 0 {
		return &processModel{fakeModel: fakeModel{f: f}, pid: f.pid}, nil
	}
	return &fakeModel{f: f}, nil
}

type fakeModel struct{ f *fakeBackend }

func (m *fakeModel) Prepare(mode backends.Mode, s backends.Shape) (backends.Runner, error) {
	if m.f.prepared == nil {
		m.f.prepared = map[backends.Mode]int{}
	}
	m.f.prepared[mode]++
	if mode == m.f.unsupported {
		return nil, fmt.Errorf("%w: %s needs a KV cache this fake lacks", backends.ErrUnsupportedMode, mode)
	}
	r := &fakeRunner{f: m.f, mode: mode, shape: s}
	if m.f.looper {
		return &loopRunner{r}, nil
	}
	return r, nil
}

// loopLatency is what a loopRunner reports for each call.
const loopLatency = 5 * time.Millisecond

// loopRunner times and loops its calls itself, as a worker does.
type loopRunner struct{ *fakeRunner }

func (r *loopRunner) Run(context.Context, []int64, []int64) (backends.Output, error) {
	return backends.Output{}, fmt.Errorf("a Looper's Run must not be called")
}

func (r *loopRunner) Loop(ctx context.Context, ids, mask []int64, u backends.Until) ([]backends.Output, error) {
	r.f.untils = append(r.f.untils, u)
	var outs []backends.Output
	start := time.Now()
	for len(outs) < max(u.Calls, 1) || time.Since(start) < u.Duration {
		o, err := r.fakeRunner.Run(ctx, ids, mask)
		if err != nil {
			return outs, err
		}
		o.Latency = loopLatency
		outs = append(outs, o)
		time.Sleep(100 * time.Microsecond) // a few dozen calls per 5 ms window, not thousands
	}
	return outs, nil
}

// processModel runs its calls in another process.
type processModel struct {
	fakeModel
	pid int
}

func (m *processModel) PID() int { return m.pid }

// reportingModel reports usage: every Usage call adds 2 CPU seconds.
type reportingModel struct {
	fakeModel
	n      atomic.Int64
	resets atomic.Int64
}

func (m *reportingModel) Usage(context.Context) (backends.Usage, error) {
	return backends.Usage{CPUSeconds: 2 * float64(m.n.Add(1)), PeakRSSBytes: 456, GPUMemoryBytes: 123}, nil
}

func (m *reportingModel) ResetPeaks(context.Context) error { m.resets.Add(1); return nil }
func (m *fakeModel) Load() backends.LoadStats {
	return backends.LoadStats{Version: "fake", Provider: "cpu", Sessions: map[string]time.Duration{"model.onnx": time.Millisecond},
		Runtime: map[string]string{"version": "1.0", "library_sha256": "aaaa"}, Locations: map[string]string{"library": "/opt/fake.so"}}
}
func (m *fakeModel) Close() error { return nil }

type fakeRunner struct {
	f     *fakeBackend
	mode  backends.Mode
	shape backends.Shape
	last  fakeCall
}

func (r *fakeRunner) Run(ctx context.Context, ids, mask []int64) (backends.Output, error) {
	n := r.f.calls.Add(1)
	c := fakeCall{}
	if r.f.behave != nil {
		c = r.f.behave(n, r.mode)
	}
	r.last = c
	if c.stall {
		<-ctx.Done()
		return backends.Output{}, fmt.Errorf("run: %w", ctx.Err())
	}
	if c.err != nil {
		return backends.Output{}, c.err
	}
	if len(ids) != r.shape.Batch*r.shape.SeqLen {
		return backends.Output{}, fmt.Errorf("%w: bad input length", backends.ErrInvariant)
	}
	if r.mode == backends.Prefill {
		return backends.Output{Steps: []time.Duration{time.Microsecond}}, nil
	}
	steps := r.shape.Steps()
	if c.noTokens {
		steps = 0
	}
	out := backends.Output{Generated: steps * r.shape.Batch}
	for k := range steps {
		out.Steps = append(out.Steps, time.Duration(k+1)*time.Microsecond)
	}
	return out, nil
}

func (r *fakeRunner) Check() error {
	if r.last.nan {
		return backends.CheckFinite("logits", []float32{float32(math.NaN())})
	}
	return nil
}
func (r *fakeRunner) Close() error { return nil }

// fixedRSS is a peakRSS that always reads 1 MiB.
type fixedRSS struct{}

func (fixedRSS) Reset()       {}
func (fixedRSS) Peak() *int64 { return ptr(int64(1 << 20)) }

// testBackends registers ONNX Runtime and "fake", a backend whose block
// declares a runtime version and whose New is never called (fakeKind
// opens the fake).
func testBackends() *backends.Registry {
	return backends.NewRegistry(onnxruntime.Registration(), backends.Registration{
		Name: "fake", Format: "onnx", Schema: &schema.Body{Attrs: []*schema.Attr{{Name: "version", Type: cty.String,
			Default: cty.StringVal("1.0"), SpecDefault: true, Doc: "declared fake runtime version"}}},
		New: func(backends.Config) (backends.Backend, error) { return nil, errors.New("fake: use fakeKind") },
	})
}

func fakeKind(f *fakeBackend) *Kind {
	return &Kind{
		reg:   testBackends(),
		open:  func(*engine.Run, *config) (backends.Backend, error) { return f, nil },
		meter: func(context.Context, *config, *slog.Logger, int) (energyMeter, error) { return newNoMeter(nil), nil },
		rss:   fixedRSS{},
		cpu:   newProcCPU(),
	}
}
