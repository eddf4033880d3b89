package benchmark

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/tr119/tr119/artifacts"
	"github.com/tr119/tr119/backends"
	"github.com/tr119/tr119/prompts"
)

// measurer times the cells of one stage.
type measurer struct {
	cfg      *config
	model    backends.Model
	meter    energyMeter
	use      usageSource
	progress func(note string)
}

// peakRSS resets and reads the process's peak resident set size.
type peakRSS interface {
	Reset()
	Peak() *int64
}

// cellRows measures one cell: warmups, then repetitions, each over every
// prompt of the set. A failure of the stage itself (ctx cancelled) is an
// error; a failure of a call degrades its row; a mode the backend cannot
// run (backends.ErrUnsupportedMode) makes the cell not applicable.
func (m *measurer) cellRows(ctx context.Context, c cell, drift bool) (cellFile, error) {
	m.use.Reset(ctx)
	shape := backends.Shape{Batch: c.Scenario.BatchSize, SeqLen: c.Set.SeqLen,
		MaxNewTokens: m.cfg.MaxNewTokens, MaxSeqLen: m.cfg.MaxSeqLen, StopOnEOS: m.cfg.StopOnEOS, EOS: prompts.EOS}
	runner, perr := m.model.Prepare(c.Mode, shape)
	if errors.Is(perr, backends.ErrUnsupportedMode) {
		return cellFile{NotApplicable: perr.Error()}, nil
	}
	if perr == nil {
		defer runner.Close()
	}
	var gpu *int64
	var rows []row
	passes := []struct {
		warmup bool
		n      int
	}{{true, m.cfg.Warmups}, {false, m.cfg.Repetitions}}
	for _, p := range passes {
		for rep := 1; rep <= p.n; rep++ {
			for _, b := range c.Set.Batches {
				r := row{Scenario: c.Scenario.Name, Mode: string(c.Mode), BatchSize: b.Size, SeqLen: b.SeqLen,
					Warmup: p.warmup, Drift: drift, Repetition: rep, Prompt: b.Prompt, Status: artifacts.StatusOK}
				if perr != nil {
					r.degrade(fmt.Sprintf("prepare: %v", perr))
				} else if err := m.measure(ctx, runner, c.Mode, b, &r, !p.warmup); err != nil {
					return cellFile{}, err
				}
				var g *int64
				r.PeakRSS, g = m.use.Peak(ctx)
				if g != nil {
					gpu = g
				}
				rows = append(rows, r)
				m.progress(fmt.Sprintf("%s %s %d", c.ID(), map[bool]string{true: "warmup", false: "rep"}[p.warmup], rep))
			}
		}
	}
	return cellFile{Rows: rows, PeakGPUMemory: gpu}, nil
}

// measure fills one row. With an energy domain available, a repetition
// loops the call until the window reaches min_energy_window and the row
// keeps the mean per-call latency and per-call energy; without one (or
// for a warmup) the window is one call.
func (m *measurer) measure(ctx context.Context, rn backends.Runner, mode backends.Mode, b prompts.Batch, r *row, timed bool) error {
	loop := timed && m.meter.Available()
	cpu0 := m.use.Now(ctx)
	start := m.meter.Mark()
	began := time.Now()
	calls, out, err := m.window(ctx, rn, b, loop)
	if ctx.Err() != nil {
		return fmt.Errorf("cell interrupted: %w", ctx.Err())
	}
	if err != nil {
		r.degrade(err.Error())
		if len(calls) == 0 {
			r.Energy = m.meter.Between(start, m.meter.Mark())
			return nil
		}
	}
	end := m.meter.Mark()
	wall := time.Since(began)
	r.ProcessCPUS, r.SystemCPUUtil = cpu0.usage(m.use.Now(ctx), len(calls))
	r.Energy = perCall(m.meter.Between(start, end), len(calls))
	r.summarise(mode, calls)
	r.WindowMS = ptr(ms(wall))
	// Outputs are checked after the window closes: a NaN scan of prefill
	// logits costs milliseconds that must not land in the energy window.
	// Each call overwrites the same output tensors, so the last call's
	// are what can be checked; generate and decode already reject NaN
	// logits inside every call, in their argmax.
	if r.Status == artifacts.StatusOK {
		if err := rn.Check(); err != nil {
			r.degrade(err.Error())
		}
	}
	r.Tokens = tokensFor(mode, b.Size, b.SeqLen, out)
	if r.Status == artifacts.StatusOK && mode != backends.Prefill && r.Tokens == 0 {
		r.degrade(fmt.Sprintf("%v: no tokens generated", backends.ErrInvariant))
	}
	return nil
}

// call runs one timed call under the per-run timeout.
func (m *measurer) call(ctx context.Context, rn backends.Runner, b prompts.Batch) (callRecord, backends.Output, error) {
	cctx, cancel := context.WithTimeout(ctx, m.cfg.Timeout)
	defer cancel()
	start := time.Now()
	out, err := rn.Run(cctx, b.IDs, b.Mask)
	lat := time.Since(start)
	if out.Latency > 0 {
		lat = out.Latency // timed inside the backend's process
	}
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return callRecord{}, out, fmt.Errorf("timeout after %s: %v", m.cfg.Timeout, err)
		}
		return callRecord{}, out, err
	}
	rec := callRecord{LatencyMS: ms(lat)}
	for _, s := range out.Steps {
		rec.StepsMS = append(rec.StepsMS, ms(s))
	}
	return rec, out, nil
}

// window makes a window's calls: one (loop false) or as many as reach
// min_energy_window. A backend that loops in its own process
// (backends.Looper) is asked once; otherwise the stage calls Run. On an
// error it returns the calls finished before it.
func (m *measurer) window(ctx context.Context, rn backends.Runner, b prompts.Batch, loop bool) ([]callRecord, backends.Output, error) {
	if lp, ok := rn.(backends.Looper); ok {
		return m.loop(ctx, lp, b, loop)
	}
	var calls []callRecord
	var out backends.Output
	began := time.Now()
	for {
		rec, o, err := m.call(ctx, rn, b)
		if err != nil {
			return calls, out, err
		}
		calls, out = append(calls, rec), o
		if !loop || time.Since(began) >= m.cfg.MinEnergyWindow {
			return calls, out, nil
		}
	}
}

// loop makes one Looper call for a window: the backend times and loops
// its calls itself; the stage keeps each call's own latency.
func (m *measurer) loop(ctx context.Context, lp backends.Looper, b prompts.Batch, window bool) ([]callRecord, backends.Output, error) {
	until := backends.Until{Calls: 1, Timeout: m.cfg.Timeout}
	if window {
		until.Duration = m.cfg.MinEnergyWindow
	}
	// A backstop only: the backend enforces Timeout per call itself.
	cctx, cancel := context.WithTimeout(ctx, until.Duration+2*m.cfg.Timeout)
	defer cancel()
	outs, err := lp.Loop(cctx, b.IDs, b.Mask, until)
	var calls []callRecord
	var last backends.Output
	for _, o := range outs {
		if o.Latency <= 0 {
			return calls, last, fmt.Errorf("%w: the backend's loop returned a call without its latency", backends.ErrInvariant)
		}
		rec := callRecord{LatencyMS: ms(o.Latency)}
		for _, st := range o.Steps {
			rec.StepsMS = append(rec.StepsMS, ms(st))
		}
		calls, last = append(calls, rec), o
	}
	if err != nil && errors.Is(err, context.DeadlineExceeded) {
		err = fmt.Errorf("timeout after %s: %v", m.cfg.Timeout, err)
	}
	return calls, last, err
}

// perCall divides a window's energy by its calls: a row's energy is the
// energy of one call, as its latency is the mean of one call.
func perCall(e map[string]measurement, calls int) map[string]measurement {
	if calls <= 1 {
		return e
	}
	div := func(p *float64) *float64 {
		if p == nil {
			return nil
		}
		return ptr(*p / float64(calls))
	}
	for d, x := range e {
		x.EnergyJ, x.ActiveJ = div(x.EnergyJ), div(x.ActiveJ)
		e[d] = x
	}
	return e
}
