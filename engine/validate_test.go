package engine

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// pathRange turns schema paths into the source they point at.
func TestPathRange(t *testing.T) {
	src := `a = 1
list = ["x", "y", local.z]
obj = { cpu = 1, gpu = 2 }
via = local.modes
energy {
  price = 3
}
tier "spot" {
  usd = 4
}
step {
  n = 5
}
step {
  n = 6
}
`
	f, diags := hclsyntax.ParseConfig([]byte(src), "p.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	lf, diags := hclsyntax.ParseConfig([]byte("m = { modes = [\"p\", \"q\"] }\n"), "l.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	m := lf.Body.(*hclsyntax.Body).Attributes["m"]
	p := &Pipeline{locals: map[string]*localDecl{"modes": {name: "modes", expr: m.Expr.(*hclsyntax.ObjectConsExpr).Items[0].ValueExpr}}}
	fallback := hcl.Range{Filename: "p.hcl", Start: hcl.Pos{Line: 99, Column: 1}}
	for _, tc := range []struct {
		path cty.Path
		want string // file:line:col
	}{
		{cty.GetAttrPath("a"), "p.hcl:1:5"},
		{cty.GetAttrPath("list").IndexInt(1), "p.hcl:2:14"},
		{cty.GetAttrPath("list").IndexInt(2), "p.hcl:2:19"}, // an unknown local: the reference
		{cty.GetAttrPath("list").IndexInt(7), "p.hcl:2:8"},  // no such element: the list
		{cty.GetAttrPath("obj").GetAttr("gpu"), "p.hcl:3:24"},
		{cty.GetAttrPath("obj").Index(cty.StringVal("cpu")), "p.hcl:3:15"},
		{cty.GetAttrPath("via").IndexInt(1), "l.hcl:1:21"}, // into the local's literal
		{cty.GetAttrPath("via"), "p.hcl:4:7"},
		{cty.GetAttrPath("energy").GetAttr("price"), "p.hcl:6:11"},
		{cty.GetAttrPath("energy").GetAttr("missing"), "p.hcl:5:1"},
		{cty.GetAttrPath("tier").Index(cty.StringVal("spot")).GetAttr("usd"), "p.hcl:9:9"},
		{cty.GetAttrPath("step").IndexInt(1).GetAttr("n"), "p.hcl:15:7"},
		{cty.GetAttrPath("absent"), "p.hcl:99:1"},
		{nil, "p.hcl:99:1"},
	} {
		rng, _ := p.pathRange(f.Body, tc.path, fallback)
		got := fmt.Sprintf("%s:%d:%d", rng.Filename, rng.Start.Line, rng.Start.Column)
		if got != tc.want {
			t.Errorf("%#v: %s, want %s", tc.path, got, tc.want)
		}
	}
}

// A value known only after an upstream stage ran is checked then, with
// the attribute's location, before the kind runs.
func TestSchemaCheckedAtApplyWhenKnown(t *testing.T) {
	h := newHarness(t)
	h.write(`
stage "echo" "a" {
  text = "a"
}

stage "echo" "b" {
  text = "b"
  note = stage.echo.a.out.sha256
}
`)
	p := h.load() // validate: the note is not known yet
	out := h.apply(p)
	if out.Count(StatusFailed) != 1 || h.echo.runs.Load() != 1 {
		t.Fatalf("want b failed before running: %s (runs %d)", statuses(out), h.echo.runs.Load())
	}
	err := out.Err().Error()
	for _, want := range []string{"pipeline.hcl:8,10-", "Value too long", "note is 64 characters long; at most 20 are allowed"} {
		if !strings.Contains(err, want) {
			t.Errorf("error lacks %q: %s", want, err)
		}
	}
}
