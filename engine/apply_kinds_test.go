package engine

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zclconf/go-cty/cty"

	"github.com/tr119/tr119/schema"

	"github.com/tr119/tr119/cache"
)

// echoKind is a test-only kind: it writes its text followed by the
// contents of its inputs to output "out". fail makes it fail, unavailable
// makes it finish unavailable, sleep makes it wait (until cancelled).
type echoKind struct {
	name          string
	deterministic bool
	host          bool
	runs          atomic.Int32
	mu            sync.Mutex
	running       int
	maxOverlap    int // most stages running beside one of this kind
	live          *atomic.Int32
	devLive       map[string]int // stages running per device
	devMax        map[string]int // most stages seen running on one device
}

func (k *echoKind) Info() KindInfo {
	return KindInfo{Name: k.name, Version: "1", Deterministic: k.deterministic, Doc: "test echo",
		Outputs: []OutputInfo{{Name: "out", MediaType: "text/plain", Doc: "text and inputs"},
			{Name: "tree", MediaType: "inode/directory", Dir: true, Doc: "a folder holding the text"}}}
}

func (k *echoKind) Schema() *schema.Body {
	return &schema.Body{Attrs: []*schema.Attr{
		{Name: "text", Type: cty.String},
		{Name: "note", Type: cty.String, MaxLen: 20},
		{Name: "inputs", Type: cty.List(ArtifactType)},
		{Name: "fail", Type: cty.Bool},
		{Name: "unavailable", Type: cty.String},
		{Name: "sleep", Type: cty.String},
		{Name: "tree", Type: cty.Bool},
		{Name: "panic", Type: cty.Bool},
		{Name: "device", Type: cty.String},
	}}
}

func (k *echoKind) Resources(cfg cty.Value) Resources {
	r := Resources{Host: k.host}
	if d := str(cfg, "device"); d != "" {
		r.Devices = []string{d}
	}
	return r
}

// onDevice counts the stage as running on its device while it sleeps.
func (k *echoKind) onDevice(dev string) {
	k.mu.Lock()
	if k.devLive == nil {
		k.devLive, k.devMax = map[string]int{}, map[string]int{}
	}
	k.devLive[dev]++
	k.devMax[dev] = max(k.devMax[dev], k.devLive[dev])
	k.mu.Unlock()
	time.Sleep(5 * time.Millisecond)
	k.mu.Lock()
	k.devLive[dev]--
	k.mu.Unlock()
}

func str(cfg cty.Value, name string) string {
	v := cfg.GetAttr(name)
	if v.IsNull() {
		return ""
	}
	return v.AsString()
}

func (k *echoKind) Run(ctx context.Context, r *Run) (*Result, error) {
	k.runs.Add(1)
	if k.live != nil {
		n := k.live.Add(1)
		defer k.live.Add(-1)
		if k.host {
			k.mu.Lock()
			k.maxOverlap = max(k.maxOverlap, int(n)-1)
			k.mu.Unlock()
		}
		time.Sleep(5 * time.Millisecond)
		if k.host {
			k.mu.Lock()
			k.maxOverlap = max(k.maxOverlap, int(k.live.Load())-1)
			k.mu.Unlock()
		}
	}
	if d := str(r.Config, "device"); d != "" {
		k.onDevice(d)
	}
	if v := r.Config.GetAttr("panic"); !v.IsNull() && v.True() {
		panic("kind bug")
	}
	if v := r.Config.GetAttr("fail"); !v.IsNull() && v.True() {
		return nil, errors.New("asked to fail")
	}
	if u := str(r.Config, "unavailable"); u != "" {
		return &Result{Unavailable: u}, nil
	}
	if d := str(r.Config, "sleep"); d != "" {
		dur, err := time.ParseDuration(d)
		if err != nil {
			return nil, err
		}
		os.WriteFile(filepath.Join(r.CheckpointDir, "started"), []byte("1"), 0o644)
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(dur):
		}
	}
	var b strings.Builder
	b.WriteString(str(r.Config, "text"))
	if in := r.Config.GetAttr("inputs"); !in.IsNull() {
		for it := in.ElementIterator(); it.Next(); {
			_, v := it.Element()
			a, err := ArtifactFromValue(v)
			if err != nil {
				return nil, err
			}
			if !a.Available {
				b.WriteString("[unavailable: " + a.Reason + "]")
				continue
			}
			data, err := os.ReadFile(a.Path)
			if err != nil {
				return nil, err
			}
			b.Write(data)
		}
	}
	if err := os.WriteFile(filepath.Join(r.OutDir, "out.txt"), []byte(b.String()), 0o644); err != nil {
		return nil, err
	}
	r.Progress.Report(1, 1, "written")
	outs := map[string]string{"out": "out.txt"}
	if v := r.Config.GetAttr("tree"); !v.IsNull() && v.True() {
		sub := filepath.Join(r.OutDir, "tree", "sub")
		if err := os.MkdirAll(sub, 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(filepath.Join(sub, "text.txt"), []byte(b.String()), 0o644); err != nil {
			return nil, err
		}
		outs["tree"] = "tree"
	}
	return &Result{Outputs: outs, Environment: map[string]string{"test": "yes"}}, nil
}

// harness is a workspace with a pipeline, a real cache and state.
type harness struct {
	t       testing.TB
	dir     string
	reg     *Registry
	echo    *echoKind
	measure *echoKind
	opts    *Options
	events  []Event
	mu      sync.Mutex
}

func newHarness(t testing.TB) *harness {
	t.Helper()
	dir := t.TempDir()
	live := &atomic.Int32{}
	h := &harness{t: t, dir: dir, reg: NewRegistry(),
		echo:    &echoKind{name: "echo", deterministic: true, live: live},
		measure: &echoKind{name: "measure", host: true, live: live}}
	h.reg.Register(h.echo)
	h.reg.Register(h.measure)
	c, err := cache.Open(filepath.Join(dir, ".tr119", "cache"), cache.Options{})
	if err != nil {
		t.Fatal(err)
	}
	h.opts = &Options{Store: NewCacheStore(c), State: OpenState(filepath.Join(dir, ".tr119", "state")),
		Parallelism: 4, TempDir: filepath.Join(dir, ".tr119", "tmp"),
		Machine: Machine{CPU: "test cpu", Cores: 2, OS: "linux", Arch: "amd64"},
		OnEvent: func(e Event) { h.mu.Lock(); h.events = append(h.events, e); h.mu.Unlock() }}
	return h
}

// write replaces the pipeline file.
func (h *harness) write(src string) {
	h.t.Helper()
	if err := os.WriteFile(filepath.Join(h.dir, "pipeline.hcl"), []byte(src), 0o644); err != nil {
		h.t.Fatal(err)
	}
}

func (h *harness) load(vars ...VarArg) *Pipeline {
	h.t.Helper()
	p, diags := Load(h.dir, h.reg, LoadOptions{Vars: vars})
	if diags.HasErrors() {
		h.t.Fatalf("load: %v", diags)
	}
	return p
}

func (h *harness) plan(p *Pipeline) *Plan {
	h.t.Helper()
	plan, err := MakePlan(context.Background(), p, h.opts)
	if err != nil {
		h.t.Fatalf("plan: %v", err)
	}
	return plan
}

func (h *harness) apply(p *Pipeline) *Outcome {
	h.t.Helper()
	out, err := Apply(context.Background(), p, h.plan(p), h.opts)
	if err != nil {
		h.t.Fatalf("apply: %v", err)
	}
	return out
}

// actions renders a plan as "addr=action" lines.
func actions(p *Plan) string {
	var lines []string
	for _, s := range p.Stages {
		lines = append(lines, s.Stage.Addr+"="+string(s.Action))
	}
	return strings.Join(lines, "\n")
}

// statuses renders an outcome as "addr=status" lines.
func statuses(o *Outcome) string {
	var lines []string
	for _, s := range o.Stages {
		lines = append(lines, s.Stage.Addr+"="+s.Status)
	}
	return strings.Join(lines, "\n")
}
