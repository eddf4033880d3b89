package benchmark

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/tr119/tr119/schema"
	"github.com/zclconf/go-cty/cty"

	"github.com/tr119/tr119/backends"
	"github.com/tr119/tr119/backends/onnxruntime"
	"github.com/tr119/tr119/engine"
	"github.com/tr119/tr119/prompts"
)

// Version is the benchmark kind's implementation version.
const Version = "3"

// Kind is the benchmark stage kind.
type Kind struct {
	// open returns the backend for a run's settings; tests swap it.
	open func(r *engine.Run) (backends.Backend, error)
	// meter opens the energy meter for a stage.
	meter func(ctx context.Context, cfg *config, log *slog.Logger) (energyMeter, error)
	// rss resets and reads peak RSS.
	rss peakRSS
	// cpu reads CPU time at window edges.
	cpu cpuClock
}

// New returns the benchmark kind with the ONNX Runtime backend.
func New() engine.Kind {
	return &Kind{
		open:  openONNXRuntime,
		meter: openRecorder,
		rss:   newProcRSS(),
		cpu:   newProcCPU(),
	}
}

// Info implements engine.Kind.
func (k *Kind) Info() engine.KindInfo {
	pq := "application/vnd.apache.parquet"
	return engine.KindInfo{
		Name: "benchmark", Version: Version, Deterministic: false,
		Doc: "Times a model folder with an inference backend over scenarios x modes (prefill, generate, decode) " +
			"in a seeded random order, with warmups, repetitions, a drift check, per-run timeouts and checkpoints.",
		Outputs: []engine.OutputInfo{
			{Name: "runs", MediaType: pq, Doc: "runs/v2: one row per timed call (repetition x prompt), warmups and drift-check rows flagged, degraded rows with their reason."},
			{Name: "calls", MediaType: pq, Doc: "calls/v1: every raw latency: each call of each energy window, and each forward step of generate and decode (step 0 of decode is the time to first token)."},
			{Name: "telemetry", MediaType: pq, Doc: "telemetry_samples/v1: every raw telemetry reading (energy counters, power samples, procfs), so any energy attribution can be redone."},
			{Name: "environment", MediaType: pq, Doc: "environment/v1: key/value description of the machine and software measured on (CPU, memory, OS, kernel, Go, ONNX Runtime, provider, threads, model hash, tr119 version, cold-start times, cell order)."},
		},
	}
}

// Schema implements engine.Kind.
func (k *Kind) Schema() *schema.Body { return specSchema(spec()) }

// Resources implements engine.ResourceClaimer: a benchmark holds the
// host and its device alone.
func (k *Kind) Resources(v cty.Value) engine.Resources {
	res := engine.Resources{Host: true, Devices: []string{"cpu"}}
	if v.IsKnown() && !v.IsNull() && v.Type().IsObjectType() && v.Type().HasAttribute("device") {
		if d, err := str(v.GetAttr("device")); err == nil && d != "cpu" {
			if d == "cuda" {
				d = "cuda:0"
			}
			res.Devices = append(res.Devices, d)
		}
	}
	return res
}

// Run implements engine.Kind.
func (k *Kind) Run(ctx context.Context, r *engine.Run) (*engine.Result, error) {
	cfg, err := parseConfig(r.Config)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", r.Addr, err)
	}
	if !cfg.Model.Available {
		return &engine.Result{Unavailable: "model unavailable: " + cfg.Model.Reason}, nil
	}
	be, err := k.open(r)
	if err != nil {
		return nil, err
	}
	s := &session{kind: k, cfg: cfg, run: r}
	return s.execute(ctx, be)
}

// openONNXRuntime resolves the library (the run's onnxruntime_library
// setting, else the project-local default) and returns the backend.
func openONNXRuntime(r *engine.Run) (backends.Backend, error) {
	lib, err := onnxruntime.ResolveLibrary(r.Settings["onnxruntime_library"], r.Workspace)
	if err != nil {
		return nil, err
	}
	return onnxruntime.New(lib), nil
}

// session is one execution of a benchmark stage.
type session struct {
	kind *Kind
	cfg  *config
	run  *engine.Run
}

func (s *session) execute(ctx context.Context, be backends.Backend) (*engine.Result, error) {
	cfg, r := s.cfg, s.run
	tk, err := prompts.NewTokenizer()
	if err != nil {
		return nil, err
	}
	cells, err := planCells(tk, cfg.Scenarios, cfg.Modes, cfg.Seed)
	if err != nil {
		return nil, err
	}
	model, err := be.Open(ctx, cfg.Model.Path, cfg.Options)
	if err != nil {
		if cfg.Optional {
			r.Log.Warn("benchmark unavailable", "reason", err)
			return &engine.Result{Unavailable: err.Error()}, nil
		}
		return nil, fmt.Errorf("open model: %w", err)
	}
	defer model.Close()
	meter, err := s.kind.meter(ctx, cfg, r.Log)
	if err != nil {
		return nil, err
	}
	defer meter.Close()
	if err := meter.Idle(ctx, cfg.IdleBaseline); err != nil {
		return nil, fmt.Errorf("idle baseline: %w", err)
	}
	rows, err := s.measureAll(ctx, cells, model, meter)
	if err != nil {
		return nil, err
	}
	env := s.environment(model.Load(), cells)
	res, err := s.writeOutputs(rows, env)
	if err != nil {
		return nil, err
	}
	if rm, ok := meter.(recorded); ok {
		for k, v := range rm.Environment() {
			res.Environment["telemetry."+k] = v
		}
		if err := rm.WriteSamples(filepath.Join(r.OutDir, "telemetry.parquet")); err != nil {
			return nil, fmt.Errorf("write telemetry samples: %w", err)
		}
		res.Outputs["telemetry"] = "telemetry.parquet"
	}
	return res, nil
}

// measureAll runs every cell (resuming checkpointed ones) and then the
// first cell again as the drift check.
func (s *session) measureAll(ctx context.Context, cells []cell, model backends.Model, meter energyMeter) ([]row, error) {
	cfg := s.cfg
	perCell := int64(0)
	order := append(append([]cell{}, cells...), cells[0])
	var total int64
	for _, c := range order {
		total += int64((cfg.Warmups + cfg.Repetitions) * len(c.Set.Batches))
	}
	var done int64
	ck := checkpoint{dir: s.run.CheckpointDir}
	var all []row
	for i, c := range order {
		drift := i == len(cells)
		id := c.ID()
		if drift {
			id = "drift:" + id
		}
		if rows, ok := ck.load(i, id); ok {
			all = append(all, rows...)
			done += int64(len(rows))
			s.run.Log.Info("resumed cell from checkpoint", "cell", id)
			continue
		}
		perCell = 0
		m := &measurer{cfg: cfg, model: model, meter: meter, rss: s.kind.rss, cpu: s.kind.cpu, progress: func(note string) {
			perCell++
			s.run.Progress.Report(done+perCell, total, fmt.Sprintf("cell %d/%d %s", i+1, len(order), note))
		}}
		rows, err := m.cellRows(ctx, c, drift)
		if err != nil {
			return nil, err
		}
		if err := ck.save(i, id, rows); err != nil {
			return nil, err
		}
		done += int64(len(rows))
		all = append(all, rows...)
	}
	return all, nil
}

func (s *session) environment(ls backends.LoadStats, cells []cell) environment {
	cfg := s.cfg
	e := hostEnvironment()
	e["onnxruntime_version"] = ls.Version
	e["provider"] = ls.Provider
	e["device"] = cfg.Device
	e["intra_op_threads"] = strconv.Itoa(cfg.Options.IntraOpThreads)
	e["inter_op_threads"] = strconv.Itoa(cfg.Options.InterOpThreads)
	e["graph_optimization"] = cfg.Options.GraphOptimization
	e["model"] = cfg.ModelName
	e["model_sha256"] = cfg.Model.SHA256
	e["seed"] = strconv.FormatInt(cfg.Seed, 10)
	e["library_init_ms"] = strconv.FormatFloat(ms(ls.LibraryInit), 'f', 3, 64)
	for g, d := range ls.Sessions {
		e["session_create_ms."+g] = strconv.FormatFloat(ms(d), 'f', 3, 64)
	}
	ids := make([]string, len(cells))
	for i, c := range cells {
		ids[i] = c.ID()
	}
	e["cell_order"] = strings.Join(ids, ",")
	return e
}

func (s *session) writeOutputs(rows []row, env environment) (*engine.Result, error) {
	id := env.id()
	m := meta{label: s.cfg.Label, runtime: s.cfg.Backend, device: s.cfg.Device, deviceClass: s.cfg.DeviceClass,
		model: s.cfg.ModelName, modelSHA: s.cfg.Model.SHA256, envID: id}
	dir := s.run.OutDir
	if err := writeRuns(dir+"/runs.parquet", m, rows); err != nil {
		return nil, err
	}
	if err := writeCalls(dir+"/calls.parquet", s.cfg.Label, rows); err != nil {
		return nil, err
	}
	if err := writeEnvironment(dir+"/environment.parquet", id, env); err != nil {
		return nil, err
	}
	env["environment_id"] = id
	return &engine.Result{
		Outputs:     map[string]string{"runs": "runs.parquet", "calls": "calls.parquet", "environment": "environment.parquet"},
		Environment: env,
	}, nil
}
