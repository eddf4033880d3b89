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
	rss      peakRSS
	cpu      cpuClock
	progress func(note string)
}

// peakRSS resets and reads the process's peak resident set size.
type peakRSS interface {
	Reset()
	Peak() *int64
}

// cellRows measures one cell: warmups, then repetitions, each over every
// prompt of the set. A failure of the stage itself (ctx cancelled) is an
// error; a failure of a call degrades its row.
func (m *measurer) cellRows(ctx context.Context, c cell, drift bool) ([]row, error) {
	m.rss.Reset()
	shape := backends.Shape{Batch: c.Scenario.BatchSize, SeqLen: c.Set.SeqLen,
		MaxNewTokens: m.cfg.MaxNewTokens, MaxSeqLen: m.cfg.MaxSeqLen, StopOnEOS: m.cfg.StopOnEOS, EOS: prompts.EOS}
	runner, perr := m.model.Prepare(c.Mode, shape)
	if perr == nil {
		defer runner.Close()
	}
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
					return rows, err
				}
				r.PeakRSS = m.rss.Peak()
				rows = append(rows, r)
				m.progress(fmt.Sprintf("%s %s %d", c.ID(), map[bool]string{true: "warmup", false: "rep"}[p.warmup], rep))
			}
		}
	}
	return rows, nil
}

// measure fills one row. With an energy domain available, a repetition
// loops the call until the window reaches min_energy_window and the row
// keeps the mean per-call latency and per-call energy; without one (or
// for a warmup) the window is one call.
func (m *measurer) measure(ctx context.Context, rn backends.Runner, mode backends.Mode, b prompts.Batch, r *row, timed bool) error {
	loop := timed && m.meter.Available()
	var calls []callRecord
	var out backends.Output
	cpu0 := m.cpu.Now()
	start := m.meter.Mark()
	began := time.Now()
	for {
		rec, o, err := m.call(ctx, rn, b)
		if ctx.Err() != nil {
			return fmt.Errorf("cell interrupted: %w", ctx.Err())
		}
		if err != nil {
			r.degrade(err.Error())
			if len(calls) == 0 {
				r.Energy = m.meter.Between(start, m.meter.Mark())
				return nil
			}
			break
		}
		calls, out = append(calls, rec), o
		if !loop || time.Since(began) >= m.cfg.MinEnergyWindow {
			break
		}
	}
	end := m.meter.Mark()
	wall := time.Since(began)
	r.ProcessCPUS, r.SystemCPUUtil = cpu0.usage(m.cpu.Now(), len(calls))
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
