package engine

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/tr119/tr119/schema"
)

// schemaDiags checks a decoded body value against its schema and turns
// every violation into an error diagnostic at the offending attribute's
// source range (or element's, for a path into a list or map literal), in
// the manner of Terraform's contextual diagnostics. Unknown values are
// skipped: they are checked again when they become known, at apply, before
// the kind runs. fallback is the range used where the path has no source
// (a value left out), normally the block's header.
func (p *Pipeline) schemaDiags(body hcl.Body, sch *schema.Body, v cty.Value, ctx *hcl.EvalContext, fallback hcl.Range, where string) hcl.Diagnostics {
	if sch == nil || v == cty.NilVal {
		return nil
	}
	return p.pathDiags(body, sch.Validate(v), ctx, fallback, where)
}

// pathDiags turns violations at paths of a body's value into diagnostics
// at their source ranges (fallback where a path has none), the detail
// naming where (a stage address) and the path.
func (p *Pipeline) pathDiags(body hcl.Body, errs []*schema.PathError, ctx *hcl.EvalContext, fallback hcl.Range, where string) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, e := range errs {
		rng, expr := p.pathRange(body, e.Path, fallback)
		detail := e.Detail
		if path := schema.FormatPath(e.Path); path != "" {
			detail = fmt.Sprintf("In %s, %s: %s", where, path, e.Detail)
		}
		d := errDiag(rng, e.Summary, detail)
		if expr != nil {
			d.Expression, d.EvalContext = expr, ctx
		}
		diags = append(diags, d)
	}
	return diags
}

// pathRange finds the source of the value at path in a body: the
// attribute's expression, the list element's or object item's expression
// inside a literal, or the nested block's header. It stops at the deepest
// part of the path written in the source; with nothing found it returns
// fallback.
func (p *Pipeline) pathRange(body hcl.Body, path cty.Path, fallback hcl.Range) (hcl.Range, hcl.Expression) {
	cur, ok := body.(*hclsyntax.Body)
	if !ok {
		return fallback, nil
	}
	rng := fallback
	for i := 0; i < len(path); {
		step, ok := path[i].(cty.GetAttrStep)
		if !ok {
			break
		}
		i++
		if a, ok := cur.Attributes[step.Name]; ok {
			return p.exprRange(a.Expr, path[i:])
		}
		blocks := blocksOf(cur, step.Name)
		if len(blocks) == 0 {
			break
		}
		pick := blocks[0]
		if i < len(path) {
			if ix, ok := path[i].(cty.IndexStep); ok {
				i++
				if b := pickBlock(blocks, ix.Key); b != nil {
					pick = b
				}
			}
		}
		rng, cur = pick.DefRange(), pick.Body
	}
	return rng, nil
}

func blocksOf(b *hclsyntax.Body, typ string) []*hclsyntax.Block {
	var out []*hclsyntax.Block
	for _, x := range b.Blocks {
		if x.Type == typ {
			out = append(out, x)
		}
	}
	return out
}

// pickBlock selects a List block by number or a Map block by label.
func pickBlock(blocks []*hclsyntax.Block, key cty.Value) *hclsyntax.Block {
	if !key.IsKnown() || key.IsNull() {
		return nil
	}
	switch key.Type() {
	case cty.Number:
		if i, acc := key.AsBigFloat().Int64(); acc == 0 && i >= 0 && int(i) < len(blocks) {
			return blocks[i]
		}
	case cty.String:
		for _, b := range blocks {
			if len(b.Labels) > 0 && b.Labels[0] == key.AsString() {
				return b
			}
		}
	}
	return nil
}

// exprRange follows the rest of a path into tuple and object literals
// as far as the source spells them out, through references to locals
// (modes = local.benchmark.modes: the bad element in the locals block).
func (p *Pipeline) exprRange(expr hcl.Expression, rest cty.Path) (hcl.Range, hcl.Expression) {
	for _, s := range rest {
		next := stepInto(p.followLocal(expr), s)
		if next == nil {
			break
		}
		expr = next
	}
	return expr.Range(), expr
}

// followLocal returns the literal a reference such as local.a.b stands
// for, when the locals spell it out; else expr itself.
func (p *Pipeline) followLocal(expr hcl.Expression) hcl.Expression {
	for depth := 0; depth < 8; depth++ {
		st, ok := expr.(*hclsyntax.ScopeTraversalExpr)
		if !ok || len(st.Traversal) < 2 || st.Traversal.RootName() != "local" {
			return expr
		}
		name, ok := st.Traversal[1].(hcl.TraverseAttr)
		if !ok || p.locals[name.Name] == nil {
			return expr
		}
		next := p.locals[name.Name].expr
		for _, step := range st.Traversal[2:] {
			var ps cty.PathStep
			switch s := step.(type) {
			case hcl.TraverseAttr:
				ps = cty.GetAttrStep{Name: s.Name}
			case hcl.TraverseIndex:
				ps = cty.IndexStep{Key: s.Key}
			default:
				return expr
			}
			if next = stepInto(next, ps); next == nil {
				return expr
			}
		}
		expr = next
	}
	return expr
}

func stepInto(expr hcl.Expression, s cty.PathStep) hcl.Expression {
	var key cty.Value
	switch s := s.(type) {
	case cty.GetAttrStep:
		key = cty.StringVal(s.Name)
	case cty.IndexStep:
		key = s.Key
	}
	switch e := expr.(type) {
	case *hclsyntax.TupleConsExpr:
		if key.Type() == cty.Number {
			if i, acc := key.AsBigFloat().Int64(); acc == 0 && i >= 0 && int(i) < len(e.Exprs) {
				return e.Exprs[i]
			}
		}
	case *hclsyntax.ObjectConsExpr:
		if key.Type() != cty.String {
			return nil
		}
		for _, item := range e.Items {
			k, diags := item.KeyExpr.Value(nil)
			if !diags.HasErrors() && k.Type() == cty.String && k.IsKnown() && !k.IsNull() && k.AsString() == key.AsString() {
				return item.ValueExpr
			}
		}
	}
	return nil
}

// checkUpstream runs the UpstreamChecker of every stage whose kind has
// one, with the configs checkAll evaluated.
func (p *Pipeline) checkUpstream(configs map[string]cty.Value) hcl.Diagnostics {
	p.linkInstances() // every instance is known now: set DependsOn (Load sets it again)
	var diags hcl.Diagnostics
	for _, addr := range sortedKeys(configs) {
		st, v := p.stages[addr], configs[addr]
		if st == nil {
			continue
		}
		uc, ok := st.Kind.(UpstreamChecker)
		if !ok {
			continue
		}
		var ups []Upstream
		for _, d := range st.DependsOn {
			if u := p.stages[d]; u != nil && configs[d] != cty.NilVal {
				ups = append(ups, Upstream{Addr: d, Kind: u.KindName, Config: configs[d]})
			}
		}
		diags = append(diags, p.pathDiags(st.body, uc.CheckUpstream(v, ups, p.Workspace), nil, st.DeclRange, st.Addr)...)
	}
	return diags
}
