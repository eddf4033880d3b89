package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/zclconf/go-cty/cty"

	"github.com/tr119/tr119/schema"

	"github.com/tr119/tr119/engine"
)

// testKind is a test-only stage kind for the CLI scripts. It writes its
// text followed by its inputs' contents to output "out". sleep makes the
// first run in a workspace wait, after creating the file `started` there
// (scripts kill it then); repeated part blocks append their text; unless names a workspace file without which it
// finishes unavailable; fail fails (quoting text, if any, as real stages quote their config in errors); lie breaks
// determinism by appending the time; setting appends that tool setting.
type testKind struct {
	name          string
	deterministic bool
	parts         bool // takes repeated part { text = "..." } blocks
}

func (k testKind) Info() engine.KindInfo {
	return engine.KindInfo{Name: k.name, Version: "1", Deterministic: k.deterministic,
		Doc:     "Test-only kind: writes text and inputs.",
		Outputs: []engine.OutputInfo{{Name: "out", MediaType: "text/plain", Doc: "the text"}}}
}

func (k testKind) Schema() *schema.Body {
	b := &schema.Body{Attrs: []*schema.Attr{
		{Name: "text", Type: cty.String},
		{Name: "inputs", Type: cty.List(engine.ArtifactType)},
		{Name: "sleep", Type: cty.String},
		{Name: "unless", Type: cty.String},
		{Name: "fail", Type: cty.Bool},
		{Name: "lie", Type: cty.Bool},
		{Name: "setting", Type: cty.String},
	}}
	if k.parts {
		b.Blocks = []*schema.Block{{Name: "part", Nesting: schema.List, Body: &schema.Body{
			Attrs: []*schema.Attr{{Name: "text", Type: cty.String, Required: true}}}}}
	}
	return b
}

func (k testKind) Resources(cty.Value) engine.Resources {
	return engine.Resources{Host: !k.deterministic}
}

func attr(cfg cty.Value, name string) string {
	if v := cfg.GetAttr(name); !v.IsNull() {
		return v.AsString()
	}
	return ""
}

func (k testKind) Run(ctx context.Context, r *engine.Run) (*engine.Result, error) {
	if v := cfg(r, "fail"); !v.IsNull() && v.True() {
		if t := attr(r.Config, "text"); t != "" {
			return nil, fmt.Errorf("asked to fail with text %q", t) // as a real stage may quote its config
		}
		return nil, errors.New("asked to fail")
	}
	if u := attr(r.Config, "unless"); u != "" {
		if _, err := os.Stat(filepath.Join(r.Workspace, u)); err != nil {
			return &engine.Result{Unavailable: u + " is missing"}, nil
		}
	}
	if d := attr(r.Config, "sleep"); d != "" {
		dur, err := time.ParseDuration(d)
		if err != nil {
			return nil, err
		}
		started := filepath.Join(r.Workspace, "started")
		if _, err := os.Stat(started); err != nil {
			os.WriteFile(started, nil, 0o644)
			select {
			case <-ctx.Done():
				return nil, ctx.Err()
			case <-time.After(dur):
			}
		}
	}
	var b strings.Builder
	b.WriteString(attr(r.Config, "text"))
	if k.parts {
		for it := cfg(r, "part").ElementIterator(); it.Next(); {
			_, v := it.Element()
			b.WriteString(attr(v, "text"))
		}
	}
	if in := cfg(r, "inputs"); !in.IsNull() {
		for it := in.ElementIterator(); it.Next(); {
			_, v := it.Element()
			a, err := engine.ArtifactFromValue(v)
			if err != nil {
				return nil, err
			}
			if !a.Available {
				fmt.Fprintf(&b, "[unavailable: %s]", a.Reason)
				continue
			}
			data, err := os.ReadFile(a.Path)
			if err != nil {
				return nil, err
			}
			b.Write(data)
		}
	}
	if name := attr(r.Config, "setting"); name != "" {
		b.WriteString(r.Settings[name])
	}
	if v := cfg(r, "lie"); !v.IsNull() && v.True() {
		fmt.Fprintf(&b, " %d", time.Now().UnixNano())
	}
	b.WriteString("\n")
	if err := os.WriteFile(filepath.Join(r.OutDir, "out.txt"), []byte(b.String()), 0o644); err != nil {
		return nil, err
	}
	return &engine.Result{Outputs: map[string]string{"out": "out.txt"}}, nil
}

func cfg(r *engine.Run, name string) cty.Value { return r.Config.GetAttr(name) }

// registerTestKinds adds the test kinds: "echo" (deterministic),
// "measure" (not deterministic, holds the host) and "parts" (echo with
// repeated part blocks).
func registerTestKinds(reg *engine.Registry) {
	reg.Register(testKind{name: "echo", deterministic: true})
	reg.Register(testKind{name: "measure"})
	reg.Register(testKind{name: "parts", deterministic: true, parts: true})
	reg.DeclareSetting("color", "test-only: a setting the echo kind can print")
}
