package engine

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// dependsOnSchema splits the engine's own meta-arguments off a stage
// body; the rest is the kind's. depends_on = [stage.KIND.NAME, ...] adds
// explicit edges for an ordering the references do not show (a stage that
// reads a file another stage's run leaves in place, say); for_each and
// count make instances of the block (eval_instances.go).
var dependsOnSchema = &hcl.BodySchema{Attributes: []hcl.AttributeSchema{
	{Name: "depends_on"}, {Name: "for_each"}, {Name: "count"}}}

// decodeStage records one stage block.
func (p *Pipeline) decodeStage(b *hclsyntax.Block) hcl.Diagnostics {
	kindName, label := b.Labels[0], b.Labels[1]
	kind, ok := p.reg.Kind(kindName)
	if !ok {
		names := p.reg.KindNames()
		hint := "No stage kinds are registered."
		if len(names) > 0 {
			hint = "Known kinds: " + listNames(names) + "."
			if s := suggestName(kindName, names); s != "" {
				hint = fmt.Sprintf("Did you mean %q? %s", s, hint)
			}
		}
		return hcl.Diagnostics{errDiag(b.LabelRanges[0], "Unknown stage kind",
			fmt.Sprintf("There is no stage kind %q. %s", kindName, hint))}
	}
	addr := "stage." + kindName + "." + label
	if prev, dup := p.blocks[addr]; dup {
		return hcl.Diagnostics{dupDiag(addr, b.DefRange(), prev.rng)}
	}
	spec := kindSpec(kind)
	content, rest, diags := b.Body.PartialContent(dependsOnSchema)
	blk := &stageBlock{addr: addr, kind: kind, kindName: kindName, name: label,
		rng: b.DefRange(), body: rest, spec: spec}
	if a, ok := content.Attributes["depends_on"]; ok {
		trs, d := dependsOnTraversals(a)
		diags = append(diags, d...)
		blk.explicit = trs
	}
	diags = append(diags, blk.setRepeat(content.Attributes)...)
	p.blocks[addr] = blk
	if blk.forEach == nil && blk.count == nil {
		p.stages[addr] = blk.instance(cty.NilVal)
	}
	return diags
}

// dependsOnTraversals reads depends_on as a list of static references.
func dependsOnTraversals(a *hcl.Attribute) ([]hcl.Traversal, hcl.Diagnostics) {
	exprs, diags := hcl.ExprList(a.Expr)
	if diags.HasErrors() {
		for _, d := range diags {
			d.Detail += " Write depends_on = [stage.KIND.NAME, ...]."
		}
		return nil, diags
	}
	var out []hcl.Traversal
	for _, e := range exprs {
		tr, d := hcl.AbsTraversalForExpr(e)
		if d.HasErrors() {
			diags = append(diags, errDiag(e.Range(), "Invalid depends_on entry",
				"Each entry must be a stage reference such as stage.import.runs, not an expression."))
			continue
		}
		out = append(out, tr)
	}
	return out, diags
}
