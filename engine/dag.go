package engine

import (
	"sort"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/dynblock"
)

// nodeKind says what a graph node declares.
type nodeKind int

const (
	nodeVar nodeKind = iota
	nodeLocal
	nodeData
	nodeStage
)

// cfgNode is one referenceable object: var.NAME, local.NAME, TYPE.NAME (a
// data block) or stage.KIND.NAME (a stage block, whatever its instances).
type cfgNode struct {
	addr string
	kind nodeKind
	rng  hcl.Range
	deps []string // addresses this cfgNode references, sorted, deduplicated
}

// buildGraph collects every declaration's references before anything is
// evaluated (HCL's "interdependent blocks" pattern), checks that each names
// something that exists and finds cycles. Stage nodes are blocks; their
// instances' DependsOn are set by linkInstances once instances are known.
func (p *Pipeline) buildGraph() hcl.Diagnostics {
	p.nodes = map[string]*cfgNode{}
	var diags hcl.Diagnostics
	for name, v := range p.vars {
		p.nodes["var."+name] = &cfgNode{addr: "var." + name, kind: nodeVar, rng: v.rng}
	}
	for name, l := range p.locals {
		deps, d := p.refAddrs(l.expr.Variables(), "")
		diags = append(diags, d...)
		p.nodes["local."+name] = &cfgNode{addr: "local." + name, kind: nodeLocal, rng: l.rng, deps: deps}
	}
	for typ, byName := range p.data {
		for name, b := range byName {
			deps, d := p.refAddrs(dynblock.VariablesHCLDec(b.body, b.spec), "")
			diags = append(diags, d...)
			addr := typ + "." + name
			p.nodes[addr] = &cfgNode{addr: addr, kind: nodeData, rng: b.rng, deps: deps}
		}
	}
	for addr, b := range p.blocks {
		diags = append(diags, p.blockDeps(b)...)
		deps := append(append([]string(nil), b.bodyDeps...), b.repeatDeps...)
		p.nodes[addr] = &cfgNode{addr: addr, kind: nodeStage, rng: b.rng, deps: uniqueSorted(deps)}
	}
	for _, a := range p.settings {
		for _, tr := range a.Expr.Variables() {
			if r := tr.RootName(); r != "var" && r != "local" {
				diags = append(diags, errDiag(tr.SourceRange(), "Invalid reference in settings",
					"Settings may use only var.* and local.* values, which are known before apply."))
			}
		}
	}
	if d := p.findCycles(); len(d) > 0 {
		return append(diags, d...)
	}
	p.topo = p.topoOrder()
	return diags
}

// blockDeps collects a stage block's references: its body's and
// depends_on's (bodyDeps), and its for_each's or count's (repeatDeps).
func (p *Pipeline) blockDeps(b *stageBlock) hcl.Diagnostics {
	deps, diags := p.refAddrs(dynblock.VariablesHCLDec(b.body, b.spec), b.repeatMeta())
	for _, tr := range b.explicit {
		a, d := p.dependsOnAddr(tr)
		if d != nil {
			diags = append(diags, d)
			continue
		}
		deps = append(deps, a)
		b.explicitDeps = append(b.explicitDeps, a)
	}
	b.bodyDeps = uniqueSorted(deps)
	rep := b.forEach
	if rep == nil {
		rep = b.count
	}
	if rep == nil {
		return diags
	}
	what := "count"
	if b.forEach != nil {
		what = "for_each"
	}
	for _, tr := range rep.Variables() {
		if r := tr.RootName(); r == "each" || r == "count" {
			diags = append(diags, errDiag(tr.SourceRange(), "Invalid reference in "+what,
				r+" refers to the instance being made, which for_each and count decide. Use variables, locals, data blocks or another stage's instances."))
		}
	}
	deps, d := p.refAddrs(withoutMeta(rep.Variables()), "")
	b.repeatDeps = deps
	if tr, dd := hcl.AbsTraversalForExpr(rep); b.forEach != nil && !dd.HasErrors() && len(tr) == 3 && tr.RootName() == "stage" {
		if len(deps) == 1 && p.blocks[deps[0]] != nil && p.blocks[deps[0]].forEach != nil {
			b.chain = deps[0]
		}
	}
	return append(diags, d...)
}

// withoutMeta drops each.* and count.* traversals (already reported).
func withoutMeta(trs []hcl.Traversal) []hcl.Traversal {
	var out []hcl.Traversal
	for _, tr := range trs {
		if r := tr.RootName(); r != "each" && r != "count" {
			out = append(out, tr)
		}
	}
	return out
}

// refAddrs maps traversals to the cfgNode addresses they name, diagnosing
// those that name nothing. meta is the iteration object ("each", "count")
// the expressions may use, or "".
func (p *Pipeline) refAddrs(trs []hcl.Traversal, meta string) ([]string, hcl.Diagnostics) {
	var out []string
	var diags hcl.Diagnostics
	for _, tr := range trs {
		addrs, d := p.refAddr(tr, meta)
		if d != nil {
			diags = append(diags, d)
			continue
		}
		out = append(out, addrs...)
	}
	return uniqueSorted(out), diags
}

// stagesReached is the set of stage blocks that deps reach through
// locals and data blocks without passing another stage.
func (p *Pipeline) stagesReached(deps []string) []string {
	seen := map[string]bool{}
	var out []string
	var walk func(ds []string)
	walk = func(ds []string) {
		for _, d := range ds {
			n := p.nodes[d]
			if seen[d] || n == nil {
				continue
			}
			seen[d] = true
			if n.kind == nodeStage {
				out = append(out, d)
				continue
			}
			walk(n.deps)
		}
	}
	walk(deps)
	sort.Strings(out)
	return out
}

// topoOrder lists every cfgNode after its dependencies; ties follow address
// order, so the result is deterministic. The graph must be acyclic.
func (p *Pipeline) topoOrder() []string {
	done := map[string]bool{}
	var out []string
	var visit func(a string)
	visit = func(a string) {
		if done[a] {
			return
		}
		done[a] = true
		for _, d := range p.nodes[a].deps {
			visit(d)
		}
		out = append(out, a)
	}
	for _, a := range sortedKeys(p.nodes) {
		visit(a)
	}
	return out
}

// Order returns the stages in a deterministic topological order: each
// after every stage it depends on, ties broken by address.
func (p *Pipeline) Order() []*Stage {
	if p == nil {
		return nil
	}
	placed := map[string]bool{}
	out := make([]*Stage, 0, len(p.Stages))
	for len(out) < len(p.Stages) {
		progressed := false
		for _, s := range p.Stages { // sorted by address: the first ready one wins
			if placed[s.Addr] || !allPlaced(s.DependsOn, placed) {
				continue
			}
			placed[s.Addr] = true
			out = append(out, s)
			progressed = true
			break
		}
		if !progressed { // a cycle: only on a pipeline that failed to load
			return out
		}
	}
	return out
}

func allPlaced(addrs []string, placed map[string]bool) bool {
	for _, a := range addrs {
		if !placed[a] {
			return false
		}
	}
	return true
}

// uniqueSorted sorts s and drops duplicates.
func uniqueSorted(s []string) []string {
	sort.Strings(s)
	out := s[:0]
	for i, x := range s {
		if i == 0 || x != s[i-1] {
			out = append(out, x)
		}
	}
	return out
}
