package telemetry

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/tr119/tr119/telemetry/procfs"
	"github.com/tr119/tr119/telemetry/rapl"
	"github.com/tr119/tr119/telemetry/series"
)

// How often the GPU's status (context for the report, not energy) and its
// power sample buffer (which holds ~2.4 s of samples) are read.
const (
	statusPeriod  = time.Second
	samplesPeriod = 500 * time.Millisecond
	// procPeriod is how often procfs is read between Marks (which read
	// it too): CPU time and RSS change slowly, and every wake-up costs.
	procPeriod = 250 * time.Millisecond
	// minCounterGap is the least time between two counter reads asked for
	// by Marks: Marks closer than that share a reading.
	minCounterGap = 20 * time.Millisecond
)

// Recorder samples every available power domain in the background and
// attributes energy to windows between Marks. It is safe for concurrent
// use.
type Recorder struct {
	opts     Options
	log      *slog.Logger
	clock    func() int64 // ns since the recorder started (monotonic)
	sleep    func(time.Duration)
	wallBase int64 // Unix ns at clock 0, to rebase driver timestamps

	gpuLib  GPULib
	gpus    []*gpuState
	zones   []*zoneState
	proc    *procfs.Reader
	env     map[string]string
	domains map[string]DomainStatus

	pollMu      sync.Mutex // serialises device reads; guards the fields below and the states
	ticks       int
	closed      bool
	lastCounter int64 // clock of the last GPU counter read
	lastSamples int64
	lastStatus  int64
	lastProc    int64

	kick chan struct{} // Mark asks for GPU counter reads at the edge

	mu      sync.Mutex // guards data, idle, windows
	data    *store
	idle    map[string]float64
	windows int

	cancel    context.CancelFunc
	done      chan struct{}
	closeOnce sync.Once
	closeErr  error
}

// gpuState is one GPU and what it supports.
type gpuState struct {
	name    string
	dev     GPU
	counter bool // the energy counter reads
	samples bool // the power sample buffer reads
}

// zoneState is one RAPL zone and its unwrapped running total.
type zoneState struct {
	z     *rapl.Zone
	last  uint64
	cumJ  float64
	first bool
}

// Open starts a Recorder: it opens every sampler it can, takes a first
// reading and starts sampling every opts.Interval until Close or until ctx
// is done. A missing library, device or permission makes that domain
// unavailable with its reason (see Domains); Open fails only on invalid
// options.
func Open(ctx context.Context, opts Options) (*Recorder, error) {
	start := time.Now()
	return open(ctx, opts, func() int64 { return int64(time.Since(start)) }, start.UnixNano(), true)
}

// open is Open with an injectable clock; run false starts no goroutine
// (tests drive poll themselves).
func open(ctx context.Context, opts Options, clock func() int64, wallBase int64, run bool) (*Recorder, error) {
	if opts.Interval < 0 {
		return nil, fmt.Errorf("telemetry: negative interval %v", opts.Interval)
	}
	if opts.ModelCPUTDPWatts < 0 {
		return nil, fmt.Errorf("telemetry: negative cpu tdp %v W", opts.ModelCPUTDPWatts)
	}
	if opts.CounterInterval < 0 {
		return nil, fmt.Errorf("telemetry: negative counter interval %v", opts.CounterInterval)
	}
	if opts.Interval == 0 {
		opts.Interval = DefaultInterval
	}
	if opts.CounterInterval == 0 {
		opts.CounterInterval = DefaultCounterInterval
	}
	if opts.NVML == nil {
		opts.NVML = OpenNVML
	}
	r := &Recorder{
		opts: opts, log: opts.Log, clock: clock, sleep: time.Sleep, wallBase: wallBase,
		proc: procfs.New(opts.ProcRoot, opts.PID), env: map[string]string{},
		domains: map[string]DomainStatus{}, data: newStore(), idle: map[string]float64{},
		done: make(chan struct{}), kick: make(chan struct{}, 1),
	}
	if r.log == nil {
		r.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	r.env["telemetry.interval"] = opts.Interval.String()
	r.env["telemetry.counter_interval"] = opts.CounterInterval.String()
	if opts.PID != 0 {
		r.env["telemetry.process_pid"] = strconv.Itoa(opts.PID)
	}
	r.openGPU()
	r.openRAPL()
	r.poll(pollAll)
	ctx, r.cancel = context.WithCancel(ctx)
	if !run {
		close(r.done)
		return r, nil
	}
	go r.loop(ctx, r.tickEvery())
	return r, nil
}

// tickEvery is the loop's period: Interval when RAPL counters need it,
// else procPeriod (a sampling goroutine's every wake-up costs CPU: a bare
// 50 ms ticker alone was 0.3% of a core on the 2-core CI machine).
func (r *Recorder) tickEvery() time.Duration {
	if len(r.zones) > 0 {
		return r.opts.Interval
	}
	return max(r.opts.Interval, procPeriod)
}

// loop polls every tick until ctx is done. A Mark's kick has the GPU
// counters read at once, and again one counter step later: the two
// readings bracket the edge closely (see series.Knots).
func (r *Recorder) loop(ctx context.Context, tick time.Duration) {
	defer close(r.done)
	t := time.NewTicker(tick)
	defer t.Stop()
	follow := time.NewTimer(time.Hour)
	follow.Stop()
	defer follow.Stop()
	following := false // a follow-up read is scheduled
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			r.poll(pollTick)
		case <-r.kick:
			r.poll(pollEdge)
			if !following {
				follow.Reset(gpuCounterStep + 2*time.Millisecond)
				following = true
			}
		case <-follow.C:
			following = false
			r.poll(pollEdge)
		}
	}
}

// Close stops sampling, waits for the sampling goroutine to end and
// releases the GPU library. It is safe to call more than once.
func (r *Recorder) Close() error {
	r.closeOnce.Do(func() {
		r.cancel()
		<-r.done
		r.pollMu.Lock() // no synchronous poll may be running either
		defer r.pollMu.Unlock()
		r.closed = true
		if r.gpuLib != nil {
			if err := r.gpuLib.Close(); err != nil {
				r.closeErr = fmt.Errorf("close telemetry: %w", err)
			}
		}
	})
	return r.closeErr
}

// point is a reading at clock time t.
func point(t int64, v float64) series.Point { return series.Point{T: t, V: v} }
