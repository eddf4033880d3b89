package engine

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// instanceRef is how a stage body refers to one block with instances:
// through index keys (a literal, stage.K.N["a"], or an expression known
// before apply, stage.K.N[each.key]) or, when all is set, as a whole.
type instanceRef struct {
	all  bool
	keys []hcl.Expression // index expressions, evaluated per instance
	lits []string         // literal keys
}

// instanceRefs collects, for every block with instances that b's body
// refers to directly, how it is indexed. Meta-arguments are not part of
// the body here: for_each has its own rule (chain).
func (p *Pipeline) instanceRefs(b *stageBlock) map[string]*instanceRef {
	body, ok := b.body.(*hclsyntax.Body)
	if !ok {
		return nil
	}
	refs := map[string]*instanceRef{}
	ref := func(addr string) *instanceRef {
		if refs[addr] == nil {
			refs[addr] = &instanceRef{}
		}
		return refs[addr]
	}
	indexed := map[*hclsyntax.ScopeTraversalExpr]bool{}
	visit := func(n hclsyntax.Node) {
		hclsyntax.VisitAll(n, func(n hclsyntax.Node) hcl.Diagnostics {
			if ix, ok := n.(*hclsyntax.IndexExpr); ok {
				if src, ok := ix.Collection.(*hclsyntax.ScopeTraversalExpr); ok {
					if addr := p.instancedBlock(src.Traversal); addr != "" && len(src.Traversal) == 3 {
						indexed[src] = true
						ref(addr).keys = append(ref(addr).keys, ix.Key)
					}
				}
			}
			return nil
		})
		hclsyntax.VisitAll(n, func(n hclsyntax.Node) hcl.Diagnostics {
			st, ok := n.(*hclsyntax.ScopeTraversalExpr)
			if !ok || indexed[st] {
				return nil
			}
			addr := p.instancedBlock(st.Traversal)
			if addr == "" {
				return nil
			}
			if len(st.Traversal) > 3 {
				if ix, ok := st.Traversal[3].(hcl.TraverseIndex); ok && ix.Key.IsKnown() && !ix.Key.IsNull() {
					if k, ok := indexKey(ix.Key); ok {
						ref(addr).lits = append(ref(addr).lits, k)
						return nil
					}
				}
				if a, ok := st.Traversal[3].(hcl.TraverseAttr); ok && p.blocks[addr].forEach != nil {
					ref(addr).lits = append(ref(addr).lits, a.Name) // stage.K.N.KEY
					return nil
				}
			}
			ref(addr).all = true
			return nil
		})
	}
	for name, a := range body.Attributes {
		if name != "depends_on" && name != "for_each" && name != "count" {
			visit(a.Expr)
		}
	}
	for _, blk := range body.Blocks {
		visit(blk.Body)
	}
	return refs
}

// instancedBlock is the address of the block with for_each or count that
// tr starts with (stage.KIND.NAME...), or "".
func (p *Pipeline) instancedBlock(tr hcl.Traversal) string {
	if len(tr) < 3 || tr.RootName() != "stage" {
		return ""
	}
	kind, ok1 := stepName(tr, 1)
	name, ok2 := stepName(tr, 2)
	addr := "stage." + kind + "." + name
	if b := p.blocks[addr]; ok1 && ok2 && b != nil && (b.forEach != nil || b.count != nil) {
		return addr
	}
	return ""
}

// indexKey is an index value as an instance key: a string, or a whole
// number.
func indexKey(v cty.Value) (string, bool) {
	switch v.Type() {
	case cty.String:
		return v.AsString(), true
	case cty.Number:
		if v.AsBigFloat().IsInt() {
			return keyString(v), true
		}
	}
	return "", false
}

// preciseDeps works out, for each instance of b, which instances of the
// blocks its body indexes it needs: every key evaluated in the instance's
// context (each, count, variables, locals, data blocks). A block indexed
// by something not known before apply, or used whole, is needed whole
// (no entry). It runs in checkAll, where the context is complete.
func (s *evalState) preciseDeps(b *stageBlock) {
	refs := s.p.instanceRefs(b)
	for _, st := range b.instances {
		st.precise = map[string][]string{}
		ctx := s.instanceContext(st)
		for addr, r := range refs {
			if r.all {
				continue
			}
			keys := append([]string(nil), r.lits...)
			ok := true
			for _, e := range r.keys {
				v, d := e.Value(ctx)
				k, known := "", false
				if !d.HasErrors() && v.IsWhollyKnown() && !v.IsNull() {
					k, known = indexKey(v)
				}
				if !known {
					ok = false
					break
				}
				keys = append(keys, k)
			}
			if ok {
				st.precise[addr] = keys
			}
		}
	}
}

// neededInstances is the instances of block addr that st needs: those
// preciseDeps found, or all of them.
func (p *Pipeline) neededInstances(st *Stage, addr string) []string {
	keys, ok := st.precise[addr]
	if !ok {
		return p.instanceAddrs(addr)
	}
	var out []string
	for _, k := range keys {
		found := false
		for _, up := range p.blocks[addr].instances {
			if up.Key == k {
				out = append(out, up.Addr)
				found = true
			}
		}
		if !found { // a key that names no instance: Eval reports it; wait for all
			return p.instanceAddrs(addr)
		}
	}
	return out
}
