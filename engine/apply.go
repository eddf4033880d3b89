package engine

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// StageOutcome is how one stage ended in an apply.
type StageOutcome struct {
	// Stage is the pipeline stage.
	Stage *Stage
	// Status is executed, cached, failed, unavailable, skipped or cancelled.
	Status string
	// Reason explains an unavailable or skipped stage.
	Reason string
	// Err is a failed stage's error.
	Err error
	// Key is the action key (nil when the stage never resolved).
	Key *ActionKey
	// Inputs maps input names to artifact hashes; Files maps file paths
	// hashed into the key to their hashes.
	Inputs map[string]string
	Files  map[string]string
	// Outputs are the stored outputs, sorted by name.
	Outputs []StoredOutput
	// Artifacts are the outputs as downstream stages see them.
	Artifacts map[string]Artifact
	// Environment is the recorded environment (machine, libraries).
	Environment map[string]string
	// Duration is the run time (the recorded one for a cached stage).
	Duration time.Duration
}

// Outcome is the result of an apply, stages in plan order.
type Outcome struct {
	Stages []*StageOutcome
}

// Err joins the errors of failed stages, or returns nil.
func (o *Outcome) Err() error {
	var errs []error
	for _, s := range o.Stages {
		if s.Status == StatusFailed {
			errs = append(errs, fmt.Errorf("%s: %w", s.Stage.Addr, s.Err))
		}
	}
	return errors.Join(errs...)
}

// Count returns how many stages ended with status.
func (o *Outcome) Count(status string) int {
	n := 0
	for _, s := range o.Stages {
		if s.Status == status {
			n++
		}
	}
	return n
}

// node is a stage's bookkeeping during the walk.
type node struct {
	ps      *PlannedStage
	out     *StageOutcome
	res     *resolved
	claim   Resources
	running bool
}

// done is a worker's report: the node it ran and how that ended.
type done struct {
	n   *node
	out *StageOutcome
}

// walker runs a plan: a single goroutine decides what starts, workers run
// stages and report back on a channel.
type walker struct {
	p       *Pipeline
	o       *Options
	em      *emitter
	nodes   []*node
	byAddr  map[string]*node
	running int
	host    bool
	devices map[string]bool
}

// Apply runs the stale stages of plan, in parallel where the graph and
// the stages' exclusive resources allow. A failed stage stops its
// dependents; independent stages still finish. When ctx is cancelled no
// new stage starts and running ones are asked to stop; nothing of them is
// cached. The returned error is ctx's; stage failures are in the Outcome.
func Apply(ctx context.Context, p *Pipeline, plan *Plan, o *Options) (*Outcome, error) {
	w := &walker{p: p, o: o, em: &emitter{fn: o.OnEvent}, byAddr: map[string]*node{}, devices: map[string]bool{}}
	for _, ps := range plan.Stages {
		n := &node{ps: ps}
		w.nodes = append(w.nodes, n)
		w.byAddr[ps.Stage.Addr] = n
	}
	par := max(o.Parallelism, 1)
	results := make(chan done)
	for {
		w.startReady(ctx, par, results)
		if w.running == 0 {
			break
		}
		d := <-results
		w.running--
		d.n.running = false
		d.n.out = d.out
		w.release(d.n.claim)
	}
	out := &Outcome{}
	for _, n := range w.nodes {
		out.Stages = append(out.Stages, n.out)
	}
	return out, ctx.Err()
}

// startReady settles every stage that can be settled now and starts the
// ones that can run, in plan order.
func (w *walker) startReady(ctx context.Context, par int, results chan<- done) {
	for progressed := true; progressed; {
		progressed = false
		for _, n := range w.nodes {
			if n.out != nil || n.running {
				continue
			}
			ready, blocked := w.depsState(n)
			if blocked != "" {
				w.finish(n, &StageOutcome{Status: StatusSkipped, Reason: blocked})
				progressed = true
				continue
			}
			if !ready {
				continue
			}
			if ctx.Err() != nil {
				w.finish(n, &StageOutcome{Status: StatusCancelled, Reason: "apply cancelled"})
				progressed = true
				continue
			}
			if n.res == nil && !w.prepare(n) {
				progressed = true
				continue
			}
			if !w.claim(n.claim, par) {
				continue
			}
			n.running = true
			w.running++
			go func() { results <- done{n, w.execute(ctx, n)} }()
		}
	}
}

// depsState reports whether all of n's upstream stages are finished, or
// why n can never run.
func (w *walker) depsState(n *node) (ready bool, blocked string) {
	ready = true
	for _, d := range n.ps.Stage.DependsOn {
		up := w.byAddr[d]
		if up == nil {
			continue
		}
		if up.out == nil || up.running {
			ready = false
			continue
		}
		switch up.out.Status {
		case StatusFailed, StatusSkipped, StatusCancelled:
			return false, "upstream " + d + " " + up.out.Status
		}
	}
	return ready, ""
}

// prepare resolves n against its finished upstream stages; a cached stage
// is settled at once. It returns false when n is settled.
func (w *walker) prepare(n *node) bool {
	st := n.ps.Stage
	if ps := n.ps; ps.Action == ActionCached && ps.hit != nil {
		// Its upstream stages were cached in the plan too, so they gave
		// the same artifacts: the plan's resolution still holds.
		n.res = ps.res
		w.settleCached(n, ps.hit, ps.artifacts)
		return false
	}
	upstream := map[string]map[string]Artifact{}
	for _, d := range st.DependsOn {
		if up := w.byAddr[d]; up != nil {
			upstream[d] = up.out.Artifacts
		}
	}
	r, err := resolve(w.p, st, upstream, w.o.hasher())
	if err == nil && r.key == nil {
		err = fmt.Errorf("%s still unknown after the upstream stages ran: an upstream stage did not produce an output it refers to",
			strings.Join(r.walk.Unknown, ", "))
	}
	if err != nil {
		w.finish(n, &StageOutcome{Status: StatusFailed, Err: err})
		return false
	}
	n.res = r
	if c, ok := st.Kind.(ResourceClaimer); ok {
		n.claim = c.Resources(r.config)
	}
	if !w.o.forced(st) {
		if hit, arts := lookupHit(w.o.lookup(), st, r.key); hit != nil {
			w.settleCached(n, hit, arts)
			return false
		}
	}
	return true
}

// settleCached settles a stage served from the cache. Its recorded state
// follows the key applied (a config changed back to an earlier one is
// cached, not run), so the next plan's reasons compare with what was
// applied last, not with the last run.
func (w *walker) settleCached(n *node, hit *StoredAction, arts map[string]Artifact) {
	if n.res.key.String() != n.ps.recordedKey {
		if err := w.saveState(n, ""); err != nil {
			w.o.log().Warn("record state", "stage", n.ps.Stage.Addr, "err", err)
		}
	}
	w.finish(n, w.outcome(n, StatusCached, hit.Outputs, arts, hit.Environment, hit.Duration))
}

// finish settles a stage that did not run in a worker and emits its end.
func (w *walker) finish(n *node, out *StageOutcome) {
	out.Stage = n.ps.Stage
	n.out = out
	w.emitEnd(out)
}

func (w *walker) emitEnd(out *StageOutcome) {
	ev := Event{Type: EventEnd, Stage: out.Stage.Addr, Kind: out.Stage.KindName, Status: out.Status,
		Note: out.Reason, Seconds: seconds(out.Duration)}
	if out.Err != nil {
		ev.Error = out.Err.Error()
	}
	w.em.emit(ev)
}

// claim takes r's resources when they are free and a slot is left.
func (w *walker) claim(r Resources, par int) bool {
	if w.running >= par || w.host || (r.Host && w.running > 0) {
		return false
	}
	for _, d := range r.Devices {
		if w.devices[d] {
			return false
		}
	}
	w.host = r.Host
	for _, d := range r.Devices {
		w.devices[d] = true
	}
	return true
}

func (w *walker) release(r Resources) {
	if r.Host {
		w.host = false
	}
	for _, d := range r.Devices {
		delete(w.devices, d)
	}
}

// outcome builds a stage outcome from the resolved config and its outputs.
func (w *walker) outcome(n *node, status string, outs []StoredOutput, arts map[string]Artifact, env map[string]string, d time.Duration) *StageOutcome {
	out := &StageOutcome{Stage: n.ps.Stage, Status: status, Key: n.res.key, Outputs: outs, Artifacts: arts,
		Environment: env, Duration: d, Inputs: map[string]string{}, Files: map[string]string{}}
	for _, in := range n.res.walk.Inputs {
		out.Inputs[in.Name] = in.Artifact.SHA256
	}
	for _, f := range n.res.files {
		out.Files[f.Path] = f.SHA256
	}
	slices.SortFunc(out.Outputs, func(a, b StoredOutput) int { return compareStrings(a.Name, b.Name) })
	return out
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
