package engine

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/dynblock"
	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/zclconf/go-cty/cty"
)

// evalState evaluates nodes in dependency order, growing the evaluation
// context as locals and data blocks get their values.
type evalState struct {
	p        *Pipeline
	files    *fileTracker
	upstream map[string]map[string]Artifact
	locals   map[string]cty.Value
	data     map[string]map[string]cty.Value
	ctx      *hcl.EvalContext // nil when locals or data changed since built
	stageVal cty.Value        // the "stage" object; it never changes
}

// newEvalState starts an evaluation in which the stage blocks in visible
// (all blocks when nil) have outputs: those in upstream, else unknown ones.
func (p *Pipeline) newEvalState(upstream map[string]map[string]Artifact, visible []string) *evalState {
	s := &evalState{p: p, files: newFileTracker(p.Workspace), upstream: upstream,
		locals: map[string]cty.Value{}, data: map[string]map[string]cty.Value{}}
	if visible == nil {
		visible = sortedKeys(p.blocks)
	}
	s.stageVal = s.stageObject(visible)
	return s
}

// context returns the evaluation context of what is evaluated so far.
func (s *evalState) context() *hcl.EvalContext {
	if s.ctx != nil {
		return s.ctx
	}
	vars := map[string]cty.Value{
		"var":   cty.ObjectVal(s.p.Variables),
		"local": cty.ObjectVal(s.locals),
		"stage": s.stageVal,
	}
	for _, typ := range s.p.reg.BlockNames() {
		vars[typ] = cty.ObjectVal(s.data[typ])
	}
	s.ctx = &hcl.EvalContext{Variables: vars, Functions: s.p.functions(s.files)}
	return s.ctx
}

// stageObject is stage.KIND.NAME for the stage blocks at addrs: the
// object of a block's outputs, or of its instances' (instanceObject).
// An evaluation sees only the blocks it depends on, which keeps Eval
// linear in the stage's own inputs rather than in the pipeline's size.
func (s *evalState) stageObject(addrs []string) cty.Value {
	kinds := map[string]map[string]cty.Value{}
	for _, addr := range addrs {
		b := s.p.blocks[addr]
		if b == nil {
			continue
		}
		if kinds[b.kindName] == nil {
			kinds[b.kindName] = map[string]cty.Value{}
		}
		kinds[b.kindName][b.name] = s.instanceObject(b)
	}
	obj := map[string]cty.Value{}
	for k, names := range kinds {
		obj[k] = cty.ObjectVal(names)
	}
	return cty.ObjectVal(obj)
}

// evalNode evaluates one local or data block into the state; variables
// are already known and stages are decoded by evalStage.
func (s *evalState) evalNode(addr string) hcl.Diagnostics {
	n := s.p.nodes[addr]
	switch n.kind {
	case nodeLocal:
		l := s.p.locals[addr[len("local."):]]
		v, diags := l.expr.Value(s.context())
		if diags.HasErrors() {
			v = cty.DynamicVal
		}
		s.locals[l.name] = v
		s.ctx = nil
		return diags
	case nodeData:
		typ, name, _ := strings.Cut(addr, ".")
		if b := s.p.data[typ][name]; b != nil {
			return s.evalData(b)
		}
	}
	return nil
}

// evalData decodes a data block with its kind's spec and adds "name".
func (s *evalState) evalData(b *dataDecl) hcl.Diagnostics {
	spec := b.spec
	if spec == nil {
		spec = hcldec.ObjectSpec{}
	}
	ctx := s.context()
	v, diags := hcldec.Decode(dynblock.Expand(b.body, ctx), spec, ctx)
	addSchemaHints(diags, spec, "a "+b.typ+" block")
	if !diags.HasErrors() {
		diags = append(diags, s.p.schemaDiags(b.body, b.schema, v, ctx, b.rng, b.typ+"."+b.name)...)
	}
	if s.data[b.typ] == nil {
		s.data[b.typ] = map[string]cty.Value{}
	}
	s.data[b.typ][b.name] = withName(v, b.name)
	s.ctx = nil
	return diags
}

// withName adds the block's name to an object value.
func withName(v cty.Value, name string) cty.Value {
	if !v.Type().IsObjectType() {
		return cty.DynamicVal
	}
	attrs := map[string]cty.Type{"name": cty.String}
	for k, t := range v.Type().AttributeTypes() {
		attrs[k] = t
	}
	if v.IsNull() || !v.IsKnown() {
		return cty.UnknownVal(cty.Object(attrs))
	}
	vals := v.AsValueMap()
	if vals == nil {
		vals = map[string]cty.Value{}
	}
	vals["name"] = cty.StringVal(name)
	return cty.ObjectVal(vals)
}

// evalStage decodes one stage instance's body with its kind's spec,
// dynamic blocks expanded.
func (s *evalState) evalStage(st *Stage) (cty.Value, hcl.Diagnostics) {
	ctx := s.instanceContext(st)
	v, diags := hcldec.Decode(dynblock.Expand(st.body, ctx), st.spec, ctx)
	addSchemaHints(diags, st.spec, "a "+st.KindName+" stage")
	if !diags.HasErrors() {
		var err error
		if v, err = expandStageInputs(v, stageInputs(st.Kind)); err != nil {
			return v, append(diags, stageInputDiag(st, err))
		}
		diags = append(diags, s.p.schemaDiags(st.body, st.Kind.Schema(), v, ctx, st.DeclRange, st.Addr)...)
		diags = append(diags, s.p.nonFiniteStageDiags(st, v)...)
	}
	return v, diags
}

// needed lists the locals and data blocks addr depends on (not through
// other stages), in evaluation order.
func (p *Pipeline) needed(addr string) []string {
	want := map[string]bool{}
	var walk func(a string)
	walk = func(a string) {
		for _, d := range p.nodes[a].deps {
			if k := p.nodes[d].kind; !want[d] && (k == nodeLocal || k == nodeData) {
				want[d] = true
				walk(d)
			}
		}
	}
	walk(addr)
	var out []string
	for _, a := range p.topo {
		if want[a] {
			out = append(out, a)
		}
	}
	return out
}

// Eval evaluates the body of the stage instance at addr. upstream maps a stage
// address to its outputs by name; an output missing from it evaluates to
// cty.UnknownVal(ArtifactType), "known after apply". Eval returns the
// config (an object per the kind's Spec, without depends_on), the files
// read through file() and filesha256() in the body or in the locals and
// data blocks it uses (path relative to the workspace, slash-separated ->
// hex SHA-256), and diagnostics. It does not modify p, so it may be
// called concurrently.
func (p *Pipeline) Eval(addr string, upstream map[string]map[string]Artifact) (cty.Value, map[string]string, hcl.Diagnostics) {
	st := p.Stage(addr)
	if st == nil || p.topo == nil {
		return cty.NilVal, nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "No such stage",
			Detail: fmt.Sprintf("%s is not a stage of this pipeline (or the pipeline failed to load).", addr)}}
	}
	s := p.newEvalState(upstream, st.block.upBlocks)
	var diags hcl.Diagnostics
	for _, a := range p.needed(st.Block) {
		diags = append(diags, s.evalNode(a)...)
	}
	v, d := s.evalStage(st)
	diags = append(diags, d...)
	polishDiags(diags)
	return v, s.files.read, diags
}

// checkAll evaluates every local, data block and stage once with every
// stage output unknown, to report type errors and failing functions
// before anything runs, expands for_each and count into instances, and
// evaluates the settings.
func (p *Pipeline) checkAll() hcl.Diagnostics {
	s := p.newEvalState(nil, nil)
	var diags hcl.Diagnostics
	configs := map[string]cty.Value{}
	for _, a := range p.topo {
		if p.nodes[a].kind == nodeStage {
			diags = append(diags, s.checkBlock(p.blocks[a], configs)...)
			continue
		}
		diags = append(diags, s.evalNode(a)...)
	}
	diags = append(diags, p.checkUpstream(configs)...)
	for _, a := range p.settings {
		if d := p.checkSettingAttr(a); d != nil {
			diags = append(diags, d)
			continue
		}
		v, d := a.Expr.Value(s.context())
		diags = append(diags, d...)
		if d.HasErrors() {
			continue
		}
		str, ok := settingString(v)
		if !ok {
			diags = append(diags, errDiag(a.Expr.Range(), "Invalid setting",
				fmt.Sprintf("Setting %q must be a known string (got %s). Write it as %s = \"value\".", a.Name, v.Type().FriendlyName(), a.Name)))
			continue
		}
		p.Settings[a.Name] = str
	}
	return diags
}

// checkBlock expands one stage block and evaluates each instance; a
// mistake every instance shares is reported once. Each instance's config
// goes into configs, for the upstream checks.
func (s *evalState) checkBlock(b *stageBlock, configs map[string]cty.Value) hcl.Diagnostics {
	repeated := !b.expanded
	diags := s.expand(b)
	if repeated {
		// The block's instance keys are known now: later references see them.
		s.stageVal = s.stageObject(sortedKeys(s.p.blocks))
		s.ctx = nil
	}
	s.preciseDeps(b)
	seen := map[string]bool{}
	for _, st := range b.instances {
		v, d := s.evalStage(st)
		if !d.HasErrors() {
			configs[st.Addr] = v
		}
		for _, x := range d {
			id := fmt.Sprintf("%v|%s|%s", x.Subject, x.Summary, x.Detail)
			if !seen[id] {
				seen[id] = true
				diags = append(diags, x)
			}
		}
	}
	return diags
}

// settingString converts a setting's value to its string form.
func settingString(v cty.Value) (string, bool) {
	if !v.IsWhollyKnown() || v.IsNull() || !v.Type().IsPrimitiveType() {
		return "", false
	}
	s, err := convertToString(v)
	return s, err == nil
}
