package engine

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/zclconf/go-cty/cty"

	"github.com/tr119/tr119/schema"
)

// labelKind writes "LABEL: TEXT"; its label is display-only and its
// config's key form fills the label's default (the stage's name).
type labelKind struct{ runs, relabels atomic.Int32 }

func (k *labelKind) Info() KindInfo {
	return KindInfo{Name: "labelled", Version: "1", Doc: "test relabel",
		Outputs: []OutputInfo{{Name: "out", MediaType: "text/plain", Doc: "label and text"}}}
}

func (k *labelKind) Schema() *schema.Body {
	return &schema.Body{Attrs: []*schema.Attr{
		{Name: "text", Type: cty.String},
		{Name: "label", Type: cty.String, Display: true},
	}}
}

func (k *labelKind) KeyConfig(label string, v cty.Value) cty.Value {
	m := v.AsValueMap()
	if m["label"].IsNull() {
		m["label"] = cty.StringVal(label)
	}
	return cty.ObjectVal(m)
}

func (k *labelKind) label(r *Run) string {
	if l := r.Config.GetAttr("label"); !l.IsNull() {
		return l.AsString()
	}
	return r.Label
}

func (k *labelKind) Run(_ context.Context, r *Run) (*Result, error) {
	k.runs.Add(1)
	s := k.label(r) + ": " + r.Config.GetAttr("text").AsString()
	if err := os.WriteFile(filepath.Join(r.OutDir, "out.txt"), []byte(s), 0o644); err != nil {
		return nil, err
	}
	return &Result{Outputs: map[string]string{"out": "out.txt"}}, nil
}

func (k *labelKind) DisplayAttrs() []string { return []string{"label"} }

func (k *labelKind) Relabel(_ context.Context, r *Run, earlier map[string]Artifact) (*Result, error) {
	k.relabels.Add(1)
	b, err := os.ReadFile(earlier["out"].Path)
	if err != nil {
		return nil, err
	}
	_, text, _ := strings.Cut(string(b), ": ")
	if err := os.WriteFile(filepath.Join(r.OutDir, "out.txt"), []byte(k.label(r)+": "+text), 0o644); err != nil {
		return nil, err
	}
	return &Result{Outputs: map[string]string{"out": "out.txt"}}, nil
}

// TestRelabel: a display-only change relabels the cached outputs (plan
// says so), a real change runs the kind, and going back is cached.
func TestRelabel(t *testing.T) {
	h := newHarness(t)
	k := &labelKind{}
	h.reg.Register(k)
	out := func(o *Outcome) string {
		b, _ := os.ReadFile(o.Stages[0].Artifacts["out"].Path)
		return string(b)
	}
	h.write(`stage "labelled" "a" { text = "hi" }`)
	if got := out(h.apply(h.load())); got != "a: hi" || k.runs.Load() != 1 {
		t.Fatalf("first apply: %q, %d runs", got, k.runs.Load())
	}
	if keys, _ := h.opts.State.Keys(); len(keys) != 2 {
		t.Errorf("state keys %q: want the action key and the measurement key, which gc keeps", keys)
	}
	h.write(`stage "labelled" "a" {
  text  = "hi"
  label = "Alpha"
}`)
	ps := h.plan(h.load()).Stage("stage.labelled.a")
	if ps.Action != ActionRerun || !slices.Contains(ps.Reasons, "only display attributes changed: cached outputs relabelled, nothing re-measured") {
		t.Errorf("plan: %s %q", ps.Action, ps.Reasons)
	}
	if got := out(h.apply(h.load())); got != "Alpha: hi" || k.runs.Load() != 1 || k.relabels.Load() != 1 {
		t.Errorf("relabel: %q, %d runs, %d relabels", got, k.runs.Load(), k.relabels.Load())
	}
	h.write(`stage "labelled" "a" {
  text  = "bye"
  label = "Alpha"
}`)
	if got := out(h.apply(h.load())); got != "Alpha: bye" || k.runs.Load() != 2 {
		t.Errorf("new text: %q, %d runs", got, k.runs.Load())
	}
	h.write(`stage "labelled" "a" { text = "hi" }`)
	o := h.apply(h.load())
	if got := out(o); got != "a: hi" || o.Stages[0].Status != StatusCached || k.runs.Load() != 2 {
		t.Errorf("back to the first config: %q %s, %d runs", got, o.Stages[0].Status, k.runs.Load())
	}
}
