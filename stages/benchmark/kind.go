package benchmark

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/zclconf/go-cty/cty"

	"github.com/tr119/tr119/backends"
	"github.com/tr119/tr119/engine"
	"github.com/tr119/tr119/prompts"
	"github.com/tr119/tr119/schema"
)

// Version is the benchmark kind's implementation version (4: backend
// blocks, the cells output, backend runtime entries in the environment).
const Version = "4"

// Kind is the benchmark stage kind. Its backends are plug-ins from the
// registry it is given; nothing in the stage names one.
type Kind struct {
	reg *backends.Registry
	// open configures the selected backend for a run; tests swap it.
	open func(r *engine.Run, cfg *config) (backends.Backend, error)
	// meter opens the energy meter for a stage.
	meter func(ctx context.Context, cfg *config, log *slog.Logger, pid int) (energyMeter, error)
	// rss resets and reads peak RSS.
	rss peakRSS
	// cpu reads CPU time at window edges.
	cpu cpuClock
}

// New returns the benchmark kind with the backends of reg.
func New(reg *backends.Registry) engine.Kind {
	return &Kind{
		reg:   reg,
		open:  openBackend,
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
			{Name: "cells", MediaType: pq, Doc: "cells/v1: one row per cell (scenario x mode, and the drift check): measured, or not_applicable with the backend's reason (a mode it cannot run); peak device memory where the backend reports it."},
			{Name: "environment", MediaType: pq, Doc: "environment/v1: key/value description of the machine and software measured on (CPU, memory, OS, kernel, Go, backend and its declared runtime: version, library hash and location, provider, threads; model hash, tr119 version, cold-start times, cell order)."},
		},
	}
}

// Schema describes the stage's body: its attributes, one block per
// registered backend and the cross-field rules, checked at validate time.
func (k *Kind) Schema() *schema.Body { return bodySchema(k.reg) }

// Backends returns the registry the kind was built with.
func (k *Kind) Backends() *backends.Registry { return k.reg }

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
	cfg, err := parseConfig(r.Config, k.reg, r.Label)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", r.Addr, err)
	}
	if !cfg.Model.Available {
		return &engine.Result{Unavailable: "model unavailable: " + cfg.Model.Reason}, nil
	}
	if err := checkModelFiles(cfg); err != nil {
		return nil, err
	}
	be, err := k.open(r, cfg)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", cfg.Backend, err)
	}
	s := &session{kind: k, cfg: cfg, run: r}
	return s.execute(ctx, be)
}

// openBackend configures the selected backend from its block and the
// run's settings (library and interpreter locations).
func openBackend(r *engine.Run, cfg *config) (backends.Backend, error) {
	return cfg.Reg.New(backends.Config{Block: cfg.Block, Device: cfg.Device, DeviceID: cfg.DeviceID,
		Settings: r.Settings, Workspace: r.Workspace, Log: r.Log})
}

// checkModelFiles says clearly when the model output lacks what the
// backend reads (e.g. the `hf` output given to an ONNX backend).
func checkModelFiles(cfg *config) error {
	for _, f := range cfg.Reg.Files {
		if _, err := os.Stat(filepath.Join(cfg.Model.Path, f)); err != nil {
			return fmt.Errorf("model: %s has no %s; backend %q reads the model stage's %q output (model = stage.model.NAME.%s)",
				cfg.Model.Stage, f, cfg.Backend, cfg.Reg.Format, cfg.Reg.Format)
		}
	}
	return nil
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
	model, err := be.Open(ctx, cfg.Model.Path, backends.Options{Device: cfg.Device, DeviceID: cfg.DeviceID, Modes: cfg.Modes})
	if err != nil {
		if cfg.Optional && !errors.Is(err, backends.ErrRuntimeMismatch) {
			r.Log.Warn("benchmark unavailable", "reason", err)
			return &engine.Result{Unavailable: err.Error()}, nil
		}
		return nil, fmt.Errorf("open model: %w", err)
	}
	defer model.Close()
	pid := 0
	if p, ok := model.(backends.Process); ok {
		pid = p.PID()
	}
	meter, err := s.kind.meter(ctx, cfg, r.Log, pid)
	if err != nil {
		return nil, err
	}
	defer meter.Close()
	if err := meter.Idle(ctx, cfg.IdleBaseline); err != nil {
		return nil, fmt.Errorf("idle baseline: %w", err)
	}
	rows, results, err := s.measureAll(ctx, cells, model, meter)
	if err != nil {
		return nil, err
	}
	env := s.environment(model.Load(), cells)
	res, err := s.writeOutputs(rows, results, env)
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
// first measured cell again as the drift check. A mode the backend cannot
// run is asked once: its cells are recorded not applicable.
func (s *session) measureAll(ctx context.Context, cells []cell, model backends.Model, meter energyMeter) ([]row, []cellResult, error) {
	cfg := s.cfg
	var total int64
	for _, c := range cells {
		total += int64((cfg.Warmups + cfg.Repetitions) * len(c.Set.Batches))
	}
	total += int64((cfg.Warmups + cfg.Repetitions) * len(cells[0].Set.Batches))
	var done int64
	ck := checkpoint{dir: s.run.CheckpointDir}
	use := newUsage(model, s.kind.rss, s.kind.cpu)
	unsupported := map[backends.Mode]string{}
	var all []row
	var results []cellResult
	drift := -1
	for i := 0; i <= len(cells); i++ {
		isDrift := i == len(cells)
		if isDrift && drift < 0 {
			break // no cell could be measured: nothing to check for drift
		}
		c := cells[min(i, len(cells)-1)]
		id := c.ID()
		if isDrift {
			c = cells[drift]
			id = "drift:" + c.ID()
		}
		want := int64((cfg.Warmups + cfg.Repetitions) * len(c.Set.Batches))
		res, ok := ck.load(i, id)
		if ok {
			s.run.Log.Info("resumed cell from checkpoint", "cell", id)
		} else if why, na := unsupported[c.Mode]; na {
			res = cellFile{Cell: id, NotApplicable: why}
		} else {
			perCell := int64(0)
			m := &measurer{cfg: cfg, model: model, meter: meter, use: use, progress: func(note string) {
				perCell++
				s.run.Progress.Report(done+perCell, total, fmt.Sprintf("cell %d/%d %s", i+1, len(cells)+1, note))
			}}
			var err error
			if res, err = m.cellRows(ctx, c, isDrift); err != nil {
				return nil, nil, err
			}
			res.Cell = id
			if err := ck.save(i, res); err != nil {
				return nil, nil, err
			}
		}
		if res.NotApplicable != "" {
			unsupported[c.Mode] = res.NotApplicable
		} else if drift < 0 && !isDrift {
			drift = i
		}
		done += want
		all = append(all, res.Rows...)
		results = append(results, cellResult{cell: c, drift: isDrift, file: res})
	}
	return all, results, nil
}

func (s *session) environment(ls backends.LoadStats, cells []cell) environment {
	cfg := s.cfg
	e := hostEnvironment()
	e["backend"] = cfg.Backend
	e["runtime_version"] = ls.Version
	e["provider"] = ls.Provider
	e["device"] = cfg.Device
	for k, v := range ls.Runtime {
		e[cfg.Backend+"."+k] = v
	}
	for k, v := range ls.Locations {
		e[cfg.Backend+"."+k] = v
		e.location(cfg.Backend + "." + k)
	}
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

func (s *session) writeOutputs(rows []row, cells []cellResult, env environment) (*engine.Result, error) {
	id := env.id()
	m := meta{label: s.cfg.Label, runtime: s.cfg.Backend, device: s.cfg.Device, deviceClass: s.cfg.DeviceClass,
		model: s.cfg.ModelName, modelSHA: s.cfg.Model.SHA256, envID: id}
	dir := s.run.OutDir
	if err := writeRuns(filepath.Join(dir, "runs.parquet"), m, rows); err != nil {
		return nil, err
	}
	if err := writeCalls(filepath.Join(dir, "calls.parquet"), s.cfg.Label, rows); err != nil {
		return nil, err
	}
	if err := writeCells(filepath.Join(dir, "cells.parquet"), m, cells); err != nil {
		return nil, err
	}
	if err := writeEnvironment(filepath.Join(dir, "environment.parquet"), id, env); err != nil {
		return nil, err
	}
	env["environment_id"] = id
	return &engine.Result{
		Outputs: map[string]string{"runs": "runs.parquet", "calls": "calls.parquet", "cells": "cells.parquet",
			"environment": "environment.parquet"},
		Environment: env.plain(),
	}, nil
}
