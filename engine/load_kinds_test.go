package engine

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/tr119/tr119/internal/golden"
	"github.com/tr119/tr119/schema"
)

// update rewrites golden files: go test ./engine -run TestX -update.

// cfgTestKind is a test-only stage kind with a fixed spec and outputs.
type cfgTestKind struct {
	name string
	spec *schema.Body
	outs []string
}

func (k cfgTestKind) Info() KindInfo {
	info := KindInfo{Name: k.name, Version: "1", Deterministic: true, Doc: "test kind"}
	for _, o := range k.outs {
		info.Outputs = append(info.Outputs, OutputInfo{Name: o, MediaType: "application/octet-stream"})
	}
	return info
}

func (k cfgTestKind) Schema() *schema.Body { return k.spec }

func (k cfgTestKind) Run(context.Context, *Run) (*Result, error) {
	return nil, errors.New("test kinds do not run")
}

// cfgTestBlock is the test-only scenario data block kind.
type cfgTestBlock struct{}

func (cfgTestBlock) BlockName() string { return "scenario" }

func (cfgTestBlock) Schema() *schema.Body {
	return &schema.Body{Attrs: []*schema.Attr{
		{Name: "prompts", Type: cty.List(cty.String), Required: true},
		{Name: "batch_size", Type: cty.Number},
	}}
}

// testRegistry holds three kinds (import, cost, stats) and scenario.
func testRegistry() *Registry {
	r := NewRegistry()
	r.Register(cfgTestKind{name: "import", outs: []string{"table", "schema"}, spec: &schema.Body{Attrs: []*schema.Attr{
		{Name: "path", Type: cty.String, Required: true},
		{Name: "schema", Type: cty.String},
	}}})
	r.Register(cfgTestKind{name: "cost", outs: []string{"table", "summary"}, spec: &schema.Body{Attrs: []*schema.Attr{
		{Name: "runs", Type: cty.List(ArtifactType)},
		{Name: "price", Type: cty.Number, Required: true},
		{Name: "label", Type: cty.String},
		{Name: "tags", Type: cty.List(cty.String)},
	}, Blocks: []*schema.Block{{Name: "energy", Body: &schema.Body{Attrs: []*schema.Attr{
		{Name: "usd_per_kwh", Type: cty.Number, Required: true},
	}}}}}})
	r.Register(cfgTestKind{name: "stats", outs: []string{"table", "summary"}, spec: &schema.Body{Attrs: []*schema.Attr{
		{Name: "input", Type: ArtifactType},
		{Name: "alpha", Type: cty.Number},
	}}})
	r.RegisterBlock(cfgTestBlock{})
	return r
}

// fixture is the path of a testdata/config case.
func fixture(name string) string { return filepath.Join("testdata", "config", name) }

// renderDiags renders diags as validate prints them, without colour.
func renderDiags(t *testing.T, p *Pipeline, diags hcl.Diagnostics) string {
	t.Helper()
	var b strings.Builder
	if err := WriteDiagnostics(&b, p, diags, 0, false); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// checkGolden compares got with the golden file, or rewrites it.
func checkGolden(t *testing.T, path, got string) {
	t.Helper()
	golden.Check(t, path, []byte(got))
}
