package engine

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/zclconf/go-cty/cty"
)

// Action is a stage's fate in a plan.
type Action string

// Plan actions.
const (
	// ActionRun: the stage was never applied in this workspace.
	ActionRun Action = "run"
	// ActionRerun: the stage was applied before but something changed.
	ActionRerun Action = "rerun"
	// ActionCached: the action cache holds the stage's outputs.
	ActionCached Action = "cached"
)

// PlannedStage is one stage's entry in a plan.
type PlannedStage struct {
	// Stage is the pipeline stage.
	Stage *Stage
	// Action is run, rerun or cached.
	Action Action
	// Reasons say why the stage runs (empty for cached and first runs).
	Reasons []string
	// Warnings, e.g. a cached measurement recorded on another machine.
	Warnings []string
	// Key is the action key, nil when it depends on upstream stages that
	// have yet to run.
	Key *ActionKey

	res         *resolved
	hit         *StoredAction
	artifacts   map[string]Artifact
	recordedKey string // the key of the stage's recorded state, "" when none
}

// Plan is the fate of every stage in pipeline order.
type Plan struct {
	// Stages are the planned stages in dependency order.
	Stages []*PlannedStage
}

// Stage returns the planned stage with address addr, or nil.
func (p *Plan) Stage(addr string) *PlannedStage {
	for _, s := range p.Stages {
		if s.Stage.Addr == addr {
			return s
		}
	}
	return nil
}

// Actions maps each stage address to its action (for Graph).
func (p *Plan) Actions() map[string]string {
	m := map[string]string{}
	for _, s := range p.Stages {
		m[s.Stage.Addr] = string(s.Action)
	}
	return m
}

// resolved is a stage whose config has been evaluated and, when known,
// whose action key has been computed.
type resolved struct {
	config cty.Value
	walk   *configWalk
	files  []keyFile
	key    *ActionKey
	mkey   *ActionKey // measurement key (Relabeler kinds), see key.go
}

// resolve evaluates a stage against the given upstream artifacts and
// computes its key when the config is wholly known.
func resolve(p *Pipeline, st *Stage, upstream map[string]map[string]Artifact, h FileHasher) (*resolved, error) {
	cfg, reads, diags := p.Eval(st.Addr, upstream)
	if diags.HasErrors() {
		return nil, diags
	}
	kcfg := keyConfig(st.Kind, st.Name(), cfg)
	w, err := walkConfig(kcfg)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", st.Addr, err)
	}
	r := &resolved{config: cfg, walk: w}
	if len(w.Unknown) > 0 {
		return r, nil
	}
	for path, sha := range reads {
		r.files = append(r.files, keyFile{Path: path, SHA256: sha})
	}
	if fi, ok := st.Kind.(FileInputer); ok {
		paths, err := fi.FileInputs(cfg)
		if err != nil {
			return nil, fmt.Errorf("%s: file inputs: %w", st.Addr, err)
		}
		for _, path := range paths {
			abs := path
			if !filepath.IsAbs(abs) {
				abs = filepath.Join(p.Workspace, path)
			}
			sha, err := hashPath(h, abs)
			if err != nil {
				return nil, fmt.Errorf("%s: input file %s: %w", st.Addr, path, err)
			}
			r.files = append(r.files, keyFile{Path: path, SHA256: sha})
		}
	}
	k := buildKey(st.Kind.Info(), w, r.files)
	r.key = &k
	if r.mkey, err = measureKey(st.Kind, kcfg, r.files); err != nil {
		return nil, fmt.Errorf("%s: %w", st.Addr, err)
	}
	return r, nil
}

// lookupHit returns the cached action of key when it and all its objects
// are present and it is an entry of st's kind, with the artifacts it
// gives downstream stages.
func lookupHit(s Store, st *Stage, key *ActionKey) (*StoredAction, map[string]Artifact) {
	hit, arts, err := lookupAction(s, st, key)
	if err != nil {
		return nil, nil
	}
	return hit, arts
}

// Match returns the addresses of the stage instances that addr names:
// one instance (stage.KIND.NAME, stage.KIND.NAME["KEY"],
// stage.KIND.NAME[INDEX]), or every instance of a block with for_each or
// count when addr is the block's address. A key may also be written
// unquoted, stage.KIND.NAME[KEY], as shells eat the quotes. None: nil.
func (p *Pipeline) Match(addr string) []string {
	if p == nil {
		return nil
	}
	if st := p.stages[addr]; st != nil {
		return []string{st.Addr}
	}
	if b := p.blocks[addr]; b != nil {
		return p.instanceAddrs(addr)
	}
	var out []string
	for _, st := range p.Stages {
		if st.Matches(addr) {
			out = append(out, st.Addr)
		}
	}
	return out
}

// Matches reports whether addr names this instance or its whole block,
// with the key quoted or not.
func (s *Stage) Matches(addr string) bool {
	if addr == s.Addr || addr == s.Block {
		return true
	}
	block, rest, ok := strings.Cut(addr, "[")
	if !ok || block != s.Block || s.index == cty.NilVal || !strings.HasSuffix(rest, "]") {
		return false
	}
	key := strings.TrimSuffix(rest, "]")
	if uq, err := strconv.Unquote(key); err == nil {
		key = uq
	}
	return key == s.Key
}

// selectStages returns the stages in order, limited to targets and their
// upstream when targets are given.
func selectStages(p *Pipeline, targets []string) ([]*Stage, error) {
	order := p.Order()
	if len(targets) == 0 {
		return order, nil
	}
	want := map[string]bool{}
	var visit func(addr string)
	visit = func(addr string) {
		if want[addr] {
			return
		}
		want[addr] = true
		for _, d := range p.Stage(addr).DependsOn {
			visit(d)
		}
	}
	for _, t := range targets {
		addrs := p.Match(t)
		if len(addrs) == 0 {
			return nil, p.unknownStage("target", t)
		}
		for _, a := range addrs {
			visit(a)
		}
	}
	var out []*Stage
	for _, st := range order {
		if want[st.Addr] {
			out = append(out, st)
		}
	}
	return out, nil
}

// MakePlan decides, for every stage, whether it runs, reruns or is cached,
// and why. The cached inputs of the stages that will run are re-hashed;
// when one is damaged the plan is made again, so that the stage making it
// runs first (each round quarantines at least one object, and a stage
// that runs reads no cached input of its own, so a round per stage is
// the most this can take).
func MakePlan(ctx context.Context, p *Pipeline, o *Options) (*Plan, error) {
	for round := 0; ; round++ {
		plan, err := makePlan(ctx, p, o)
		if err != nil || round > len(p.Stages) || !damagedInputs(plan, o.lookup()) {
			return plan, err
		}
	}
}

func makePlan(ctx context.Context, p *Pipeline, o *Options) (*Plan, error) {
	stages, err := selectStages(p, o.Target)
	if err != nil {
		return nil, err
	}
	for _, r := range o.Replace {
		if len(p.Match(r)) == 0 {
			return nil, p.unknownStage("replace", r)
		}
	}
	plan := &Plan{}
	done := map[string]*PlannedStage{}
	for _, st := range stages {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		ps := &PlannedStage{Stage: st}
		upstream := map[string]map[string]Artifact{}
		var willRun []string
		for _, d := range st.DependsOn {
			if up := done[d]; up != nil && up.Action == ActionCached {
				upstream[d] = up.artifacts
			} else {
				willRun = append(willRun, d)
			}
		}
		r, err := resolve(p, st, upstream, o.hasher())
		if err != nil {
			return nil, err
		}
		ps.Key, ps.res = r.key, r
		planStage(ps, r, willRun, o, p.Workspace)
		plan.Stages = append(plan.Stages, ps)
		done[st.Addr] = ps
	}
	return plan, nil
}

// planStage fills in a stage's action, reasons and warnings.
func planStage(ps *PlannedStage, r *resolved, willRun []string, o *Options, workspace string) {
	st := ps.Stage
	info := st.Kind.Info()
	var old *StageState
	if o.State != nil {
		old = o.State.Get(st.Addr)
	}
	ps.Action = ActionRun
	if old != nil {
		ps.Action = ActionRerun
		if old.Unavailable == "" { // an unavailable record is replaced by any hit
			ps.recordedKey = old.Key
		}
	}
	if r.key == nil {
		sort.Strings(willRun)
		for _, d := range willRun {
			ps.Reasons = append(ps.Reasons, "upstream "+d+" will run")
		}
		if old != nil {
			ps.Reasons = append(ps.Reasons, knownConfigDiffs(old, r.walk)...)
		}
		if len(ps.Reasons) == 0 {
			ps.Reasons = []string{"configuration known only after upstream stages run"}
		}
		return
	}
	if o.forced(st) {
		ps.Action = ActionRerun
		ps.Reasons = []string{"forced by -replace"}
		return
	}
	hit, arts, lerr := lookupAction(o.lookup(), st, r.key)
	if hit != nil {
		ps.Action, ps.hit, ps.artifacts = ActionCached, hit, arts
		if !info.Deterministic {
			for _, d := range o.Machine.MachineDiff(hit.Environment) {
				ps.Warnings = append(ps.Warnings, "measured on another machine: "+d)
			}
			for _, d := range o.Machine.RuntimeDiff(hit.Environment) {
				ps.Warnings = append(ps.Warnings, "measured with another runtime than found now: "+d)
			}
		}
		return
	}
	var damage []string
	if why := missReason(info, lerr, workspace); why != "" {
		damage = []string{why}
	}
	if old == nil {
		ps.Reasons = damage
		return
	}
	now := newState(st.Addr, info, *r.key, r.walk, r.files)
	ps.Reasons = append(damage, diffReasons(old, now)...)
	if len(ps.Reasons) == 0 {
		ps.Reasons = []string{"cached result missing or damaged"}
	}
	if hit, _ := lookupHit(o.lookup(), st, r.mkey); hit != nil {
		ps.Reasons = append(ps.Reasons, "only display attributes changed: cached outputs relabelled, nothing re-measured")
	}
}
