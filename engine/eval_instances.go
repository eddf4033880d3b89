package engine

import (
	"fmt"
	"math/big"
	"sort"
	"strconv"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/zclconf/go-cty/cty"
)

// maxInstances bounds count and for_each, so a typo such as count = 1e9
// is an error rather than a plan that never ends.
const maxInstances = 10000

// stageBlock is one `stage "KIND" "NAME"` block. A block without for_each
// or count has one instance, addressed like the block; with them it has
// one instance per key or index, known once variables, locals and data
// blocks are evaluated (Terraform's semantics).
type stageBlock struct {
	addr, kindName, name string
	kind                 Kind
	rng                  hcl.Range
	body                 hcl.Body        // without the meta-arguments
	spec                 hcldec.Spec     // the kind's spec (never nil)
	explicit             []hcl.Traversal // the depends_on entries
	forEach, count       hcl.Expression  // at most one is set

	// chain is the block address when for_each is exactly stage.KIND.NAME
	// of a block with for_each: instance KEY then depends only on the
	// upstream instance KEY.
	chain        string
	bodyDeps     []string // node addresses the body and depends_on reference
	explicitDeps []string // the depends_on entries' addresses
	repeatDeps   []string // node addresses for_each or count reference
	upBlocks     []string // stage blocks reached through either, for evaluation
	expanded     bool     // instances are known
	instances    []*Stage // in key or index order
}

// setRepeat records the for_each or count meta-argument.
func (b *stageBlock) setRepeat(attrs hcl.Attributes) hcl.Diagnostics {
	fe, hasFE := attrs["for_each"]
	c, hasCount := attrs["count"]
	if hasFE && hasCount {
		return hcl.Diagnostics{errDiag(c.NameRange, "Invalid combination of count and for_each",
			fmt.Sprintf("%s sets both count and for_each. Keep one: for_each for named instances, count for numbered ones.", b.addr))}
	}
	if hasFE {
		b.forEach = fe.Expr
	}
	if hasCount {
		b.count = c.Expr
	}
	return nil
}

// repeatMeta is the iteration object the body may use: "each", "count"
// or "" for a block without instances.
func (b *stageBlock) repeatMeta() string {
	switch {
	case b.forEach != nil:
		return "each"
	case b.count != nil:
		return "count"
	}
	return ""
}

// instance makes the instance of b with index idx (cty.NilVal for the
// only instance of a block without for_each or count).
func (b *stageBlock) instance(idx cty.Value) *Stage {
	st := &Stage{Addr: b.addr + instanceSuffix(idx), Block: b.addr, Key: keyString(idx), Kind: b.kind,
		KindName: b.kindName, Label: b.name, DeclRange: b.rng, body: b.body, spec: b.spec, block: b, index: idx}
	if idx == cty.NilVal {
		b.expanded = true
		b.instances = []*Stage{st}
	}
	return st
}

// instanceSuffix is `["KEY"]`, "[INDEX]" or "" for cty.NilVal.
func instanceSuffix(idx cty.Value) string {
	if idx == cty.NilVal {
		return ""
	}
	return "[" + indexText(idx) + "]"
}

// indexText is a key as written in an address: quoted, or a number.
func indexText(idx cty.Value) string {
	if idx.Type() == cty.String {
		return strconv.Quote(idx.AsString())
	}
	return keyString(idx)
}

// keyString is a key's plain text.
func keyString(idx cty.Value) string {
	switch {
	case idx == cty.NilVal:
		return ""
	case idx.Type() == cty.String:
		return idx.AsString()
	}
	return idx.AsBigFloat().Text('f', 0)
}

// expand evaluates b's for_each or count and adds its instances to the
// pipeline. It runs once per block, at load time, in dependency order.
func (s *evalState) expand(b *stageBlock) hcl.Diagnostics {
	if b.expanded {
		return nil
	}
	var idxs []cty.Value
	var diags hcl.Diagnostics
	switch {
	case b.count != nil:
		v, d := b.count.Value(s.context())
		if d.HasErrors() {
			return d
		}
		n, dd := s.countValue(v, b.count.Range())
		diags = append(d, dd...)
		for i := 0; i < n; i++ {
			idxs = append(idxs, cty.NumberIntVal(int64(i)))
		}
	case b.forEach != nil:
		v, d := b.forEach.Value(s.context())
		if d.HasErrors() {
			return d
		}
		keys, dd := s.forEachKeys(v, b.forEach.Range())
		diags = append(d, dd...)
		for _, k := range keys {
			idxs = append(idxs, cty.StringVal(k))
		}
	}
	if diags.HasErrors() {
		return diags
	}
	for _, idx := range idxs {
		st := b.instance(idx)
		b.instances = append(b.instances, st)
		s.p.stages[st.Addr] = st
	}
	b.expanded = true
	return diags
}

// unknownRepeat reports a for_each or count value that is not known yet;
// it says nothing when a variable without a valid value (already reported)
// may be the cause.
func (s *evalState) unknownRepeat(what string, rng hcl.Range) hcl.Diagnostics {
	for _, v := range s.p.Variables {
		if !v.IsWhollyKnown() {
			return nil
		}
	}
	return hcl.Diagnostics{errDiag(rng, "Invalid "+what+" argument",
		fmt.Sprintf("The %s value depends on values known only after apply (a stage output). Instances must be known when planning: derive %s from variables, locals and data blocks, or from the keys of another stage with for_each.", what, what))}
}

// countValue checks a count value: a known whole number from 0 to
// maxInstances.
func (s *evalState) countValue(v cty.Value, rng hcl.Range) (int, hcl.Diagnostics) {
	if !v.IsKnown() {
		return 0, s.unknownRepeat("count", rng)
	}
	bad := func(why string) (int, hcl.Diagnostics) {
		return 0, hcl.Diagnostics{errDiag(rng, "Invalid count argument",
			fmt.Sprintf("count must be a whole number from 0 to %d; %s.", maxInstances, why))}
	}
	if v.IsNull() {
		return bad("it is null")
	}
	if v.Type() != cty.Number {
		return bad("got " + v.Type().FriendlyName())
	}
	f := v.AsBigFloat()
	if !f.IsInt() || f.Sign() < 0 || f.Cmp(big.NewFloat(maxInstances)) > 0 {
		return bad("got " + f.Text('g', -1))
	}
	n, _ := f.Int64()
	return int(n), nil
}

// forEachKeys checks a for_each value (a map or object, or a set of
// strings) and returns its keys, sorted.
func (s *evalState) forEachKeys(v cty.Value, rng hcl.Range) ([]string, hcl.Diagnostics) {
	bad := func(why string) ([]string, hcl.Diagnostics) {
		return nil, hcl.Diagnostics{errDiag(rng, "Invalid for_each argument", why)}
	}
	ty := v.Type()
	switch {
	case !v.IsKnown() || (ty.IsSetType() && !v.IsWhollyKnown()):
		return nil, s.unknownRepeat("for_each", rng)
	case v.IsNull():
		return bad("for_each must be a map or a set of strings, not null.")
	case ty.IsListType() || ty.IsTupleType():
		return bad(fmt.Sprintf("for_each takes a map or a set of strings, not a %s: the keys name the instances. Write for_each = toset(...) for a list of strings.", ty.FriendlyName()))
	case ty.IsSetType() && ty.ElementType() != cty.String:
		return bad(fmt.Sprintf("for_each takes a set of strings, got %s. Write for_each = toset([for x in ... : tostring(x)]).", ty.FriendlyName()))
	case !ty.IsSetType() && !ty.IsMapType() && !ty.IsObjectType():
		return bad(fmt.Sprintf("for_each takes a map or a set of strings, got %s.", ty.FriendlyName()))
	}
	var keys []string
	for it := v.ElementIterator(); it.Next(); {
		k, e := it.Element()
		if ty.IsSetType() {
			k = e
		}
		if k.IsNull() {
			return bad("for_each holds a null element; remove it.")
		}
		keys = append(keys, k.AsString())
	}
	if len(keys) > maxInstances {
		return bad(fmt.Sprintf("for_each has %d elements; at most %d are allowed.", len(keys), maxInstances))
	}
	for _, k := range keys {
		if k == "" {
			return bad("for_each has an empty key; every instance needs a name.")
		}
	}
	sort.Strings(keys)
	return keys, nil
}

// instanceContext is the evaluation context of one instance's body:
// the state's context plus each.key and each.value (for_each) or
// count.index (count). each.value is re-read from the for_each value on
// every evaluation, so it holds upstream outputs once they are known.
func (s *evalState) instanceContext(st *Stage) *hcl.EvalContext {
	ctx := s.context()
	b := st.block
	if b == nil || st.index == cty.NilVal {
		return ctx
	}
	child := ctx.NewChild()
	if b.count != nil {
		child.Variables = map[string]cty.Value{"count": cty.ObjectVal(map[string]cty.Value{"index": st.index})}
		return child
	}
	val := cty.DynamicVal
	if fe, d := b.forEach.Value(ctx); !d.HasErrors() && fe.IsKnown() && !fe.IsNull() {
		ty := fe.Type()
		switch {
		case ty.IsSetType():
			val = st.index
		case ty.IsObjectType():
			if ty.HasAttribute(st.Key) {
				val = fe.GetAttr(st.Key)
			}
		case ty.IsMapType():
			if fe.HasIndex(st.index).True() {
				val = fe.Index(st.index)
			}
		}
	}
	child.Variables = map[string]cty.Value{"each": cty.ObjectVal(map[string]cty.Value{"key": st.index, "value": val})}
	return child
}

// instanceObject is the value of a block for references: the object of
// its outputs (no for_each or count), an object of those by key
// (for_each) or a tuple of them by index (count); unknown when its
// instances are not known.
func (s *evalState) instanceObject(b *stageBlock) cty.Value {
	if !b.expanded {
		return cty.DynamicVal
	}
	switch {
	case b.forEach != nil:
		m := make(map[string]cty.Value, len(b.instances))
		for _, st := range b.instances {
			m[st.Key] = s.outputsObject(st)
		}
		return cty.ObjectVal(m)
	case b.count != nil:
		if len(b.instances) == 0 {
			return cty.EmptyTupleVal
		}
		l := make([]cty.Value, len(b.instances))
		for i, st := range b.instances {
			l[i] = s.outputsObject(st)
		}
		return cty.TupleVal(l)
	}
	return s.outputsObject(b.instances[0])
}

// outputsObject is one instance's outputs by name: the upstream artifact
// where given, else unknown ("known after apply").
func (s *evalState) outputsObject(st *Stage) cty.Value {
	outs := map[string]cty.Value{}
	for _, o := range st.Kind.Info().Outputs {
		if a, ok := s.upstream[st.Addr][o.Name]; ok {
			outs[o.Name] = a.Value()
		} else {
			outs[o.Name] = cty.UnknownVal(ArtifactType)
		}
	}
	return cty.ObjectVal(outs)
}

// linkInstances sets every instance's DependsOn from its block's
// references, once the instances of every block are known.
func (p *Pipeline) linkInstances() {
	for _, b := range p.blocks {
		if p.nodes[b.addr] == nil {
			continue
		}
		bodyUp := p.stagesReached(b.bodyDeps)
		repUp := p.stagesReached(b.repeatDeps)
		b.upBlocks = uniqueSorted(append(append([]string(nil), bodyUp...), repUp...))
		// Blocks reached through a local, a data block or depends_on are
		// needed whole; those the body indexes itself may be needed in part.
		whole := map[string]bool{}
		var indirect []string
		for _, d := range b.bodyDeps {
			if n := p.nodes[d]; n != nil && n.kind != nodeStage {
				indirect = append(indirect, d)
			}
		}
		for _, u := range append(p.stagesReached(indirect), b.explicitDeps...) {
			whole[u] = true
		}
		for _, st := range b.instances {
			var deps []string
			for _, u := range bodyUp {
				if whole[u] {
					deps = append(deps, p.instanceAddrs(u)...)
					continue
				}
				deps = append(deps, p.neededInstances(st, u)...)
			}
			for _, u := range repUp {
				if u == b.chain {
					if up := p.stages[u+instanceSuffix(st.index)]; up != nil {
						deps = append(deps, up.Addr)
					}
					continue
				}
				deps = append(deps, p.instanceAddrs(u)...)
			}
			st.DependsOn = uniqueSorted(deps)
		}
	}
}

// instanceAddrs lists the instance addresses of the block at addr.
func (p *Pipeline) instanceAddrs(addr string) []string {
	b := p.blocks[addr]
	if b == nil {
		return nil
	}
	out := make([]string, 0, len(b.instances))
	for _, st := range b.instances {
		out = append(out, st.Addr)
	}
	return out
}
