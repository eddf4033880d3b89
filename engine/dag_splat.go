package engine

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// rewriteSplats makes a splat over a stage with for_each iterate its
// instances: stage.KIND.NAME[*].OUTPUT reads as
// values(stage.KIND.NAME)[*].OUTPUT, in key order. (HCL's splat over an
// object would otherwise wrap the whole object in a one-element list.)
// A stage with count is a tuple already and needs no rewrite.
func (p *Pipeline) rewriteSplats() {
	for _, f := range p.parsed {
		body, ok := f.Body.(*hclsyntax.Body)
		if !ok {
			continue
		}
		hclsyntax.VisitAll(body, func(n hclsyntax.Node) hcl.Diagnostics {
			se, ok := n.(*hclsyntax.SplatExpr)
			if !ok {
				return nil
			}
			src, ok := se.Source.(*hclsyntax.ScopeTraversalExpr)
			if !ok || !p.isForEachStage(src.Traversal) {
				return nil
			}
			rng := src.SrcRange
			se.Source = &hclsyntax.FunctionCallExpr{Name: "values", Args: []hclsyntax.Expression{src},
				NameRange: rng, OpenParenRange: rng, CloseParenRange: rng}
			return nil
		})
	}
}

// isForEachStage reports whether tr is exactly stage.KIND.NAME of a block
// with for_each.
func (p *Pipeline) isForEachStage(tr hcl.Traversal) bool {
	if len(tr) != 3 || tr.RootName() != "stage" {
		return false
	}
	kind, ok1 := stepName(tr, 1)
	name, ok2 := stepName(tr, 2)
	b := p.blocks["stage."+kind+"."+name]
	return ok1 && ok2 && b != nil && b.forEach != nil
}
