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

// Window is the worker's answer to one run request: every call, timed
// inside the worker.
type Window struct {
	// Calls holds each call's Output with its Latency; Tokens only on the
	// last call.
	Calls []backends.Output
	// Elapsed is the worker's wall time over all calls.
	Elapsed time.Duration
	// Degraded is empty for a clean window; otherwise why its calls do not
	// count as compiled (torch.compile recompiled inside the window or
	// captured no graph).
	Degraded string
	// GraphBreaks and FramesCompiled count torch._dynamo events during
	// the window (compiled models only).
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
	Timeout        string    `json:"timeout"`
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

// Run implements backends.Runner: one call, its Latency timed inside the
// worker.
func (r *Runner) Run(ctx context.Context, ids, mask []int64) (backends.Output, error) {
	outs, err := r.Loop(ctx, ids, mask, backends.Until{Calls: 1})
	if len(outs) == 0 {
		return backends.Output{}, err
	}
	return outs[0], err
}

// Loop implements backends.Looper: the worker runs the call at least
// until.Calls times and until until.Duration has passed (tr119's
// energy-window rule) and returns every call's Output. A call over
// until.Timeout ends the loop with the calls before it and an error
// wrapping context.DeadlineExceeded; a degraded window returns its calls
// and the reason as the error.
func (r *Runner) Loop(ctx context.Context, ids, mask []int64, until backends.Until) ([]backends.Output, error) {
	w, err := r.Window(ctx, ids, mask, until)
	if err == nil && w.Degraded != "" {
		err = errors.New(w.Degraded)
	}
	return w.Calls, err
}

// Window is Loop with the worker's whole answer. A dead worker is
// replaced first (and the runner prepared again on it).
func (r *Runner) Window(ctx context.Context, ids, mask []int64, until backends.Until) (Window, error) {
	resp, err := r.run(ctx, ids, mask, until, "")
	if err != nil {
		return Window{}, err
	}
	l := Window{Elapsed: seconds(resp.WindowS), Degraded: resp.Degraded, GraphBreaks: resp.GraphBreaks, FramesCompiled: resp.FramesCompiled}
	if r.eager != "" && l.Degraded == "" {
		l.Degraded = r.eager
	}
	for i, c := range resp.Calls {
		out := backends.Output{Latency: seconds(c.LatencyS), Generated: c.Generated, Steps: make([]time.Duration, len(c.StepsS))}
		for j, s := range c.StepsS {
			out.Steps[j] = seconds(s)
		}
		if i == len(resp.Calls)-1 {
			out.Tokens = resp.Tokens
		}
		l.Calls = append(l.Calls, out)
	}
	if resp.Timeout != "" {
		return l, fmt.Errorf("%w: %s", context.DeadlineExceeded, resp.Timeout)
	}
	if len(l.Calls) == 0 {
		return l, fmt.Errorf("%w: the worker returned no calls", backends.ErrInvariant)
	}
	return l, nil
}

func (r *Runner) run(ctx context.Context, ids, mask []int64, until backends.Until, logits string) (runResp, error) {
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
	req := map[string]any{"op": "run", "runner": r.id, "ids": ids, "mask": mask, "calls": max(until.Calls, 1),
		"min_duration_s": until.Duration.Seconds(), "call_timeout_s": until.Timeout.Seconds()}
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
