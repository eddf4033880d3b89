package torch

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strconv"
	"sync"
	"time"

	"github.com/tr119/tr119/backends"
)

// Backend is the torch backend: each Open starts one worker process.
type Backend struct {
	cfg Config
}

// New returns a backend with the given settings (normalised; an invalid
// field is an error naming it).
func New(c Config) (*Backend, error) {
	c, err := c.Normalize()
	if err != nil {
		return nil, err
	}
	return &Backend{cfg: c}, nil
}

// Config returns the normalised settings.
func (b *Backend) Config() Config { return b.cfg }

// hello is the worker's answer to the hello op.
type hello struct {
	Protocol     int    `json:"protocol"`
	PID          int    `json:"pid"`
	Python       string `json:"python"`
	Executable   string `json:"python_executable"`
	Torch        string `json:"torch"`
	TorchCUDA    string `json:"torch_cuda"`
	Transformers string `json:"transformers"`
	RealPython   string `json:"python_realpath"`
	TorchFile    string `json:"torch_version_file"`
}

// loaded is the worker's answer to the load op.
type loaded struct {
	LoadS float64           `json:"load_s"`
	Env   map[string]string `json:"env"`
}

// Model is an opened model folder held by one worker process (replaced by
// a fresh one, up to Config.MaxRestarts times, when it dies).
type Model struct {
	cfg  Config
	dir  string
	mu   sync.Mutex
	w    *worker
	gen  int // incremented per worker started
	died int // workers replaced
	next int // runner ids
	env  map[string]string
	load backends.LoadStats
	// cpuBase is the CPU seconds of workers that died, so Usage stays
	// cumulative across a restart.
	cpuBase float64
}

// Open implements backends.Backend: it starts the worker, checks its
// protocol and the declared implementation's imports, and loads the
// folder on the device. opts.Modes is not needed (the worker reads the
// weights once for every mode); a Config without threads takes
// opts.IntraOpThreads and opts.InterOpThreads.
func (b *Backend) Open(ctx context.Context, dir string, opts backends.Options) (backends.Model, error) {
	return b.OpenModel(ctx, dir, opts)
}

// OpenModel is Open returning the concrete type.
func (b *Backend) OpenModel(ctx context.Context, dir string, opts backends.Options) (*Model, error) {
	c := b.cfg
	if opts.Device != "" && opts.Device != c.Device {
		d, err := Config{Device: opts.Device}.Normalize()
		if err != nil {
			return nil, err
		}
		c.Device = d.Device
	}
	m := &Model{cfg: c, dir: dir}
	if err := m.start(ctx); err != nil {
		return nil, err
	}
	return m, nil
}

// start starts a worker and loads the model on it.
func (m *Model) start(ctx context.Context) error {
	t0 := time.Now()
	w, err := startWorker(m.cfg)
	if err != nil {
		return err
	}
	var h hello
	if err := w.call(ctx, map[string]any{"op": "hello", "implementation": m.cfg.Implementation}, &h); err != nil {
		w.close()
		return fmt.Errorf("start torch worker (%s): %w", m.cfg.Python, err)
	}
	if h.Protocol != Protocol {
		w.close()
		return fmt.Errorf("torch worker speaks protocol %d, tr119 speaks %d", h.Protocol, Protocol)
	}
	if err := m.checkRuntime(h); err != nil {
		w.close()
		return err
	}
	init := time.Since(t0)
	var l loaded
	if err := w.call(ctx, m.cfg.load(m.dir), &l); err != nil {
		w.close()
		return fmt.Errorf("load %s with torch (%s on %s): %w", m.dir, m.cfg.Implementation, m.cfg.Device, err)
	}
	m.w, m.gen = w, m.gen+1
	if m.gen > 1 {
		m.env["worker_restarts"] = strconv.Itoa(m.gen - 1)
		return nil // keep the first worker's cold start and environment
	}
	m.load = backends.LoadStats{LibraryInit: init, Version: h.Torch, Provider: m.cfg.Device,
		Sessions: map[string]time.Duration{"model.safetensors": seconds(l.LoadS)}}
	m.env = map[string]string{
		"version": h.Torch, "protocol": strconv.Itoa(h.Protocol), "worker_sha256": ScriptSHA256(),
		"python_version": h.Python, "torch_cuda": h.TorchCUDA, "transformers_version": h.Transformers,
		"python": m.cfg.Python, "python_executable": h.Executable,
	}
	if h.Transformers == "" {
		m.env["transformers_version"] = "not used"
	}
	// File hashes identify the build beyond its version string.
	if sha, err := backends.FileSHA256(h.RealPython); err == nil {
		m.env["python_sha256"] = sha
	}
	if sha, err := backends.FileSHA256(h.TorchFile); err == nil {
		m.env["torch_version_py_sha256"] = sha
	}
	for k, v := range l.Env {
		m.env[k] = v
	}
	return nil
}

// checkRuntime compares the worker's torch and transformers with the
// declared versions (the declared runtime is measured, or nothing is).
func (m *Model) checkRuntime(h hello) error {
	if !versionMatches(m.cfg.TorchVersion, h.Torch) {
		return fmt.Errorf("%w: torch.torch_version declares %s, %s (%s) has torch %s",
			backends.ErrRuntimeMismatch, m.cfg.TorchVersion, m.cfg.Python, h.Executable, h.Torch)
	}
	if m.cfg.Implementation == Transformers && !versionMatches(m.cfg.TransformersVersion, h.Transformers) {
		return fmt.Errorf("%w: torch.transformers_version declares %s, %s (%s) has transformers %s",
			backends.ErrRuntimeMismatch, m.cfg.TransformersVersion, m.cfg.Python, h.Executable, h.Transformers)
	}
	return nil
}

// ensure returns a live worker, starting a fresh one (and a fresh model
// load) when the last one died, up to MaxRestarts times.
func (m *Model) ensure(ctx context.Context) (*worker, error) {
	if m.w == nil {
		return nil, errors.New("torch model is closed")
	}
	if !m.w.dead() {
		return m.w, nil
	}
	if m.died >= m.cfg.MaxRestarts {
		return nil, fmt.Errorf("%w %d time(s); not starting another (max_restarts %d)", ErrWorkerDied, m.died+1, m.cfg.MaxRestarts)
	}
	m.died++
	m.w.close()
	if st := m.w.state; st != nil {
		m.cpuBase += (st.UserTime() + st.SystemTime()).Seconds()
	}
	if err := m.start(ctx); err != nil {
		return nil, fmt.Errorf("restart torch worker after it died: %w", err)
	}
	return m.w, nil
}

// Load implements backends.Model: LibraryInit is the worker's start
// (interpreter and imports), Sessions["model.safetensors"] the model load
// and Sessions["compile:MODE:BxS"] each runner's torch.compile time;
// Runtime holds Environment's entries but the interpreter's location,
// which is in Locations.
func (m *Model) Load() backends.LoadStats {
	m.mu.Lock()
	defer m.mu.Unlock()
	l := m.load
	l.Sessions = maps.Clone(l.Sessions)
	l.Runtime, l.Locations = map[string]string{}, map[string]string{}
	for k, v := range m.env {
		if locationKeys[k] {
			l.Locations[k] = v
		} else {
			l.Runtime[k] = v
		}
	}
	return l
}

// locationKeys are the environment entries that say where the runtime
// is, not what it is: recorded, but in neither key nor environment id.
var locationKeys = map[string]bool{"python": true, "python_executable": true}

// Environment returns what the stage records (without the stage's
// "torch." prefix): interpreter, torch and transformers versions,
// implementation, attn_implementation, dtype, threads, TF32 and matmul
// precision, compile settings and per-cell compile counters.
func (m *Model) Environment() map[string]string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return maps.Clone(m.env)
}

// Close implements backends.Model: the worker exits (or is killed).
func (m *Model) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.w != nil {
		m.w.close()
		m.w = nil
	}
	return nil
}

// prepared is the worker's answer to prepare.
type prepared struct {
	CompileS      *float64 `json:"compile_s"`
	Frames        int      `json:"frames_compiled"`
	GraphBreaks   int      `json:"graph_breaks"`
	Graphs        int      `json:"graphs"`
	BreakReasons  []string `json:"break_reasons"`
	EagerFallback string   `json:"eager_fallback"`
}

// Prepare implements backends.Model. With compile = true the worker runs
// the mode twice over dummy inputs of the runner's shape, so compilation
// happens here (recorded as cold start) and not in a timed call.
func (m *Model) Prepare(mode backends.Mode, s backends.Shape) (backends.Runner, error) {
	ctx, cancel := context.WithTimeout(context.Background(), prepareTimeout)
	defer cancel()
	return m.prepare(ctx, mode, s)
}

func (m *Model) prepare(ctx context.Context, mode backends.Mode, s backends.Shape) (*Runner, error) {
	if mode != backends.Prefill && mode != backends.Generate && mode != backends.Decode {
		return nil, fmt.Errorf("mode %q: want prefill, generate or decode", mode)
	}
	if s.Batch < 1 || s.SeqLen < 1 {
		return nil, fmt.Errorf("shape %dx%d: batch and seq_len must be positive", s.Batch, s.SeqLen)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.next++
	r := &Runner{m: m, id: fmt.Sprintf("r%d", m.next), mode: mode, shape: s}
	if err := r.prepareLocked(ctx); err != nil {
		return nil, err
	}
	return r, nil
}

func seconds(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

// usage is the worker's answer to the usage op.
type usage struct {
	CPUS      float64 `json:"cpu_s"`
	PeakRSS   int64   `json:"peak_rss_bytes"`
	GPUMemory int64   `json:"gpu_memory_bytes"`
}

// Usage implements backends.UsageReporter: the worker's own CPU seconds
// (with its children's, and those of workers that died before it), its
// peak RSS (VmHWM) and torch's peak CUDA allocation.
func (m *Model) Usage(ctx context.Context) (backends.Usage, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	w, err := m.ensure(ctx)
	if err != nil {
		return backends.Usage{}, err
	}
	var u usage
	if err := w.call(ctx, map[string]any{"op": "usage"}, &u); err != nil {
		return backends.Usage{}, err
	}
	return backends.Usage{CPUSeconds: m.cpuBase + u.CPUS, PeakRSSBytes: u.PeakRSS, GPUMemoryBytes: u.GPUMemory}, nil
}

// ResetPeaks implements backends.UsageReporter: the worker clears its
// VmHWM (/proc/self/clear_refs) and torch's CUDA peak statistics.
func (m *Model) ResetPeaks(ctx context.Context) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	w, err := m.ensure(ctx)
	if err != nil {
		return err
	}
	return w.call(ctx, map[string]any{"op": "reset_peaks"}, nil)
}
