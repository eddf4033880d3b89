package benchmarktest

import (
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/tr119/tr119/artifacts"
	"github.com/tr119/tr119/engine"
)

// Decode evaluates body against bodySpec, with every `scenario "NAME"`
// block of scenarios (decoded with scenarioSpec) as scenario.NAME and
// the model artifact as model.
func Decode(t testing.TB, bodySpec, scenarioSpec hcldec.Spec, scenarios, body string, model engine.Artifact) cty.Value {
	t.Helper()
	f, diags := hclsyntax.ParseConfig([]byte(scenarios), "scenarios.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	content, diags := f.Body.Content(&hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{{Type: "scenario", LabelNames: []string{"name"}}}})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	scs := map[string]cty.Value{}
	for _, b := range content.Blocks {
		v, diags := hcldec.Decode(b.Body, scenarioSpec, nil)
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		m := v.AsValueMap()
		m["name"] = cty.StringVal(b.Labels[0])
		scs[b.Labels[0]] = cty.ObjectVal(m)
	}
	ctx := &hcl.EvalContext{Variables: map[string]cty.Value{"scenario": cty.ObjectVal(scs), "model": model.Value()}}
	bf, diags := hclsyntax.ParseConfig([]byte(body), "pipeline.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	v, diags := hcldec.Decode(bf.Body, bodySpec, ctx)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return v
}

// Output reads the Parquet output name of a finished run back; the table
// is released when the test ends.
func Output(t testing.TB, r *engine.Run, res *engine.Result, name string) arrow.Table {
	t.Helper()
	tbl, err := artifacts.ReadParquet(filepath.Join(r.OutDir, res.Outputs[name]))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tbl.Release)
	return tbl
}
