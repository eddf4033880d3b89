package engine_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/tr119/tr119/engine"
	"github.com/zclconf/go-cty/cty"

	"github.com/tr119/tr119/schema"
)

// greet is a tiny stage kind for the example.
type greet struct{}

func (greet) Info() engine.KindInfo {
	return engine.KindInfo{Name: "greet", Version: "1", Deterministic: true,
		Outputs: []engine.OutputInfo{{Name: "text", MediaType: "text/plain"}}}
}

func (greet) Schema() *schema.Body {
	return &schema.Body{Attrs: []*schema.Attr{
		{Name: "who", Type: cty.String, Required: true},
		{Name: "after", Type: engine.ArtifactType},
	}}
}

func (greet) Run(context.Context, *engine.Run) (*engine.Result, error) {
	return nil, errors.New("not run in the example")
}

func ExampleLoad() {
	dir, _ := os.MkdirTemp("", "tr119-example")
	defer os.RemoveAll(dir)
	src := `
variable "who" {
  default = "world"
}

stage "greet" "first" {
  who = var.who
}

stage "greet" "second" {
  who   = upper(var.who)
  after = stage.greet.first.text
}
`
	_ = os.WriteFile(filepath.Join(dir, "pipeline.hcl"), []byte(src), 0o644)

	reg := engine.NewRegistry()
	reg.Register(greet{})
	p, diags := engine.Load(dir, reg, engine.LoadOptions{
		Vars: []engine.VarArg{{Name: "who", Value: "tr119"}},
	})
	if diags.HasErrors() {
		_ = engine.WriteDiagnostics(os.Stdout, p, diags, 0, false)
		return
	}
	for _, s := range p.Order() {
		cfg, _, _ := p.Eval(s.Addr, nil)
		fmt.Println(s.Addr, s.DependsOn, cfg.GetAttr("who").AsString(), cfg.GetAttr("after").IsKnown())
	}
	// Output:
	// stage.greet.first [] tr119 true
	// stage.greet.second [stage.greet.first] TR119 false
}
