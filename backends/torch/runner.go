package torch

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/tr119/tr119/backends"
)

// Timeouts of the calls backends.Runner and backends.Model give no
// context: a worker that does not answer within them is killed.
const (
	checkTimeout   = 2 * time.Minute
	prepareTimeout = 30 * time.Minute // torch.compile with max-autotune takes minutes
)

// Runner runs one mode at one shape on the worker.
type Runner struct {
	m     *Model
	id    string
	mode  backends.Mode
	shape backends.Shape
	gen   int    // the worker generation it was prepared on
	eager string // why compiled calls run eagerly, if they do
}

// Call is one call of a loop, timed inside the worker.
type Call struct {
	// Latency is the call's wall time around device-synchronised work.
	Latency time.Duration
	// Output holds the call's step times; Tokens only on the last call.
	Output backends.Output
}

// Loop is the worker's result of one run request: its calls, and a
// reason when they must be degraded (torch.compile recompiled inside
// the window or captured no graph).
type Loop struct {
	Calls []Call
	// Window is the worker's wall time over all calls.
	Window time.Duration
	// Degraded is empty for a clean window.
	Degraded string
	// GraphBreaks and FramesCompiled count torch._dynamo events during
	// the window (compiled runners only).
	GraphBreaks, FramesCompiled int
}

type runResp struct {
	Calls []struct {
		LatencyS  float64   `json:"latency_s"`
		StepsS    []float64 `json:"steps_s"`
		Generated int       `json:"generated"`
	} `json:"calls"`
	WindowS        float64   `json:"window_s"`
	Tokens         [][]int64 `json:"tokens"`
	Generated      int       `json:"generated"`
	Degraded       string    `json:"degraded"`
	FramesCompiled int       `json:"frames_compiled"`
	GraphBreaks    int       `json:"graph_breaks"`
	LogitsShape    []int     `json:"logits_shape"`
}

// prepareLocked (re)creates the runner on the current worker; m.mu held.
func (r *Runner) prepareLocked(ctx context.Context) error {
	m, s := r.m, r.shape
	w, err := m.ensure(ctx)
	if err != nil {
		return err
	}
	var p prepared
	req := map[string]any{"op": "prepare", "runner": r.id, "mode": string(r.mode), "batch": s.Batch,
		"seq_len": s.SeqLen, "steps": s.Steps(), "stop_on_eos": s.StopOnEOS, "eos": s.EOS}
	if r.mode == backends.Prefill {
		req["steps"] = 0
	}
	if err := w.call(ctx, req, &p); err != nil {
		return fmt.Errorf("prepare %s %dx%d: %w", r.mode, s.Batch, s.SeqLen, err)
	}
	r.gen, r.eager = m.gen, p.EagerFallback
	if p.CompileS != nil {
		cell := fmt.Sprintf("%s:%dx%d", r.mode, s.Batch, s.SeqLen)
		m.load.Sessions["compile:"+cell] = seconds(*p.CompileS)
		m.env["compile."+cell+".ms"] = msStr(seconds(*p.CompileS))
		m.env["compile."+cell+".frames"] = strconv.Itoa(p.Frames)
		m.env["compile."+cell+".graph_breaks"] = strconv.Itoa(p.GraphBreaks)
		if len(p.BreakReasons) > 0 {
			m.env["compile."+cell+".break_reasons"] = strings.Join(p.BreakReasons, " | ")
		}
		if p.EagerFallback != "" {
			m.env["compile."+cell+".eager_fallback"] = p.EagerFallback
		}
	}
	return nil
}

// Run implements backends.Runner: one call. Its latency, measured here,
// includes the protocol round trip; Loop's latencies do not.
func (r *Runner) Run(ctx context.Context, ids, mask []int64) (backends.Output, error) {
	l, err := r.Loop(ctx, ids, mask, 1, 0)
	if err != nil {
		return backends.Output{}, err
	}
	if l.Degraded != "" {
		return l.Calls[0].Output, errors.New(l.Degraded)
	}
	return l.Calls[0].Output, nil
}

// Loop runs the call at least calls times and until minWindow has passed
// (tr119's energy-window rule), inside the worker, and returns every
// call's timings. A dead worker is replaced first (and the runner
// prepared again on it).
func (r *Runner) Loop(ctx context.Context, ids, mask []int64, calls int, minWindow time.Duration) (Loop, error) {
	resp, err := r.run(ctx, ids, mask, calls, minWindow, "")
	if err != nil {
		return Loop{}, err
	}
	l := Loop{Window: seconds(resp.WindowS), Degraded: resp.Degraded, GraphBreaks: resp.GraphBreaks, FramesCompiled: resp.FramesCompiled}
	if r.eager != "" && l.Degraded == "" {
		l.Degraded = r.eager
	}
	for i, c := range resp.Calls {
		out := backends.Output{Generated: c.Generated, Steps: make([]time.Duration, len(c.StepsS))}
		for j, s := range c.StepsS {
			out.Steps[j] = seconds(s)
		}
		if i == len(resp.Calls)-1 {
			out.Tokens = resp.Tokens
		}
		l.Calls = append(l.Calls, Call{Latency: seconds(c.LatencyS), Output: out})
	}
	if len(l.Calls) == 0 {
		return l, fmt.Errorf("%w: the worker returned no calls", backends.ErrInvariant)
	}
	return l, nil
}

func (r *Runner) run(ctx context.Context, ids, mask []int64, calls int, minWindow time.Duration, logits string) (runResp, error) {
	var resp runResp
	n := r.shape.Batch * r.shape.SeqLen
	if len(ids) != n || len(mask) != n {
		return resp, fmt.Errorf("%w: input holds %d ids and %d mask values, the runner's shape %dx%d needs %d",
			backends.ErrInvariant, len(ids), len(mask), r.shape.Batch, r.shape.SeqLen, n)
	}
	r.m.mu.Lock()
	defer r.m.mu.Unlock()
	w, err := r.m.ensure(ctx)
	if err != nil {
		return resp, err
	}
	if r.gen != r.m.gen {
		if err := r.prepareLocked(ctx); err != nil {
			return resp, err
		}
	}
	req := map[string]any{"op": "run", "runner": r.id, "ids": ids, "mask": mask, "calls": max(calls, 1),
		"min_duration_s": minWindow.Seconds()}
	if logits != "" {
		req["logits_path"] = logits
	}
	if err := w.call(ctx, req, &resp); err != nil {
		var we *WorkerError
		if errors.As(err, &we) && we.Kind == "invariant" {
			return resp, fmt.Errorf("%w: %v", backends.ErrInvariant, err)
		}
		return resp, err
	}
	return resp, nil
}

// Check implements backends.Runner: the worker checks the last call's
// logits are finite, outside any timed window.
func (r *Runner) Check() error {
	r.m.mu.Lock()
	defer r.m.mu.Unlock()
	if r.m.w == nil || r.m.w.dead() || r.gen != r.m.gen {
		return fmt.Errorf("%w: the worker that ran the last call is gone", backends.ErrInvariant)
	}
	ctx, cancel := context.WithTimeout(context.Background(), checkTimeout)
	defer cancel()
	err := r.m.w.call(ctx, map[string]any{"op": "check", "runner": r.id}, nil)
	var we *WorkerError
	if errors.As(err, &we) && we.Kind == "invariant" {
		return fmt.Errorf("%w: %s", backends.ErrInvariant, we.Msg)
	}
	return err
}

// Close implements backends.Runner: the worker frees the runner's
// buffers.
func (r *Runner) Close() error {
	r.m.mu.Lock()
	defer r.m.mu.Unlock()
	if r.m.w == nil || r.m.w.dead() || r.gen != r.m.gen {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), checkTimeout)
	defer cancel()
	return r.m.w.call(ctx, map[string]any{"op": "release", "runner": r.id}, nil)
}
