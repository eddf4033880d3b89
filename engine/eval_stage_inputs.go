package engine

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/tr119/tr119/schema"
)

// StageInput is a whole-stage argument of a kind: `cost =
// stage.cost.NAME` fills several of the kind's artifact attributes from
// that stage's outputs, instead of one line per output. The engine expands
// it before validation, keys and Run: the kind sees, and the action key
// holds, exactly the attributes it fills, as if each had been written out.
type StageInput struct {
	// Attr is the argument's name, e.g. "cost".
	Attr string
	// Kind is the stage kind it takes, e.g. "cost" (for docs and errors).
	Kind string
	// Fills maps an output of that kind to the attribute it fills, e.g.
	// "json" -> "cost_json".
	Fills map[string]string
	// Many: the argument takes several stages (a list of whole stages, or
	// a stage with for_each or count), and the attributes it fills are
	// lists of artifacts.
	Many bool
	// Doc is a one-line description.
	Doc string
}

// StageInputer is implemented by kinds that take whole-stage arguments.
type StageInputer interface {
	StageInputs() []StageInput
}

// stageInputs returns the whole-stage arguments of k, or nil.
func stageInputs(k Kind) []StageInput {
	if si, ok := k.(StageInputer); ok {
		return si.StageInputs()
	}
	return nil
}

// DocSchema is what a stage body of kind k may hold, for documentation
// (tr119 kinds, generated references): the kind's schema plus its
// whole-stage arguments (StageInputs), each documented with what it fills.
func DocSchema(k Kind) *schema.Body {
	sch := k.Schema()
	ins := stageInputs(k)
	if len(ins) == 0 {
		return sch
	}
	out := *sch
	out.Attrs = append([]*schema.Attr(nil), sch.Attrs...)
	for _, in := range ins {
		var fills []string
		for _, o := range sortedKeys(in.Fills) {
			fills = append(fills, in.Fills[o])
		}
		doc := fmt.Sprintf("%s Fills %s; set either it or those.", in.Doc, strings.Join(fills, ", "))
		typeName := "stage." + in.Kind + ".NAME"
		if in.Many {
			typeName = "list of stage." + in.Kind + ".NAME"
		}
		out.Attrs = append(out.Attrs, &schema.Attr{Name: in.Attr, Type: cty.DynamicPseudoType, TypeName: typeName, Doc: doc})
	}
	return &out
}

// kindSpec is the hcldec spec of a stage body of kind k: DocSchema's,
// with the attributes that whole-stage arguments fill made optional for
// decoding (validation after expansion still requires them).
func kindSpec(k Kind) hcldec.Spec {
	filled := map[string]bool{}
	for _, in := range stageInputs(k) {
		for _, a := range in.Fills {
			filled[a] = true
		}
	}
	sch := DocSchema(k)
	if len(filled) == 0 {
		return sch.Spec()
	}
	relaxed := *sch
	relaxed.Attrs = nil
	relaxed.Rules = nil
	for _, a := range sch.Attrs {
		if filled[a.Name] && a.Required {
			c := *a
			c.Required = false
			a = &c
		}
		relaxed.Attrs = append(relaxed.Attrs, a)
	}
	return relaxed.Spec()
}

// expandStageInputs replaces the whole-stage arguments of v by the
// attributes they fill. An error names the argument.
func expandStageInputs(v cty.Value, ins []StageInput) (cty.Value, error) {
	if len(ins) == 0 || v.IsNull() || !v.IsKnown() || !v.Type().IsObjectType() {
		return v, nil
	}
	attrs := v.AsValueMap()
	for _, in := range ins {
		x, ok := attrs[in.Attr]
		delete(attrs, in.Attr)
		if !ok || x.IsNull() {
			continue
		}
		for _, out := range sortedKeys(in.Fills) {
			target := in.Fills[out]
			if cur, ok := attrs[target]; ok && !cur.IsNull() {
				return v, fmt.Errorf("%s: %s fills %s (its %s output); set one of them, not both", in.Attr, in.Attr, target, out)
			}
		}
		filled, err := in.fill(x)
		if err != nil {
			return v, fmt.Errorf("%s: %w", in.Attr, err)
		}
		for k, f := range filled {
			attrs[k] = f
		}
	}
	return cty.ObjectVal(attrs), nil
}

// fill computes the attributes one whole-stage argument fills.
func (in StageInput) fill(x cty.Value) (map[string]cty.Value, error) {
	out := map[string]cty.Value{}
	if !in.Many {
		for _, name := range sortedKeys(in.Fills) {
			target := in.Fills[name]
			a, err := in.output(x, name)
			if err != nil {
				return nil, err
			}
			out[target] = a
		}
		return out, nil
	}
	stages, known := stageList(x)
	for _, name := range sortedKeys(in.Fills) {
		target := in.Fills[name]
		if !known {
			out[target] = cty.UnknownVal(cty.List(ArtifactType))
			continue
		}
		var l []cty.Value
		for _, st := range stages {
			a, err := in.output(st, name)
			if err != nil {
				return nil, err
			}
			l = append(l, a)
		}
		if len(l) == 0 {
			out[target] = cty.ListValEmpty(ArtifactType)
		} else {
			out[target] = cty.ListVal(l)
		}
	}
	return out, nil
}

// output is one output of a whole stage value.
func (in StageInput) output(st cty.Value, name string) (cty.Value, error) {
	if !st.IsKnown() {
		return cty.UnknownVal(ArtifactType), nil
	}
	if st.IsNull() || !st.Type().IsObjectType() {
		return cty.NilVal, fmt.Errorf("want a whole %s stage, as in %s = stage.%s.NAME, got %s", in.Kind, in.Attr, in.Kind, st.Type().FriendlyName())
	}
	if isArtifactType(st.Type()) {
		return cty.NilVal, fmt.Errorf("want a whole %s stage, as in %s = stage.%s.NAME, got one stage output", in.Kind, in.Attr, in.Kind)
	}
	if !st.Type().HasAttribute(name) {
		have := sortedKeys(st.Type().AttributeTypes())
		return cty.NilVal, fmt.Errorf("want a whole %s stage (stage.%s.NAME), got an object with %s and no %q", in.Kind, in.Kind, strings.Join(have, ", "), name)
	}
	a := st.GetAttr(name)
	if !isArtifactType(a.Type()) {
		return cty.NilVal, fmt.Errorf("want a whole %s stage (stage.%s.NAME): its %s is not a stage output", in.Kind, in.Kind, name)
	}
	return a, nil
}

// stageList reads a Many argument: a list or tuple of whole stages, one
// whole stage, or a block with for_each (an object of whole stages by
// key, taken in key order). known is false while the list itself is not.
func stageList(x cty.Value) (stages []cty.Value, known bool) {
	if !x.IsKnown() {
		return nil, false
	}
	ty := x.Type()
	switch {
	case ty.IsListType() || ty.IsTupleType() || ty.IsSetType():
		return x.AsValueSlice(), true
	case ty.IsObjectType() && !isWholeStage(ty):
		m := x.AsValueMap()
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			stages = append(stages, m[k])
		}
		return stages, true
	}
	return []cty.Value{x}, true
}

// isWholeStage reports whether an object type is one stage's outputs
// (every attribute an artifact) rather than a collection of stages.
func isWholeStage(ty cty.Type) bool {
	attrs := ty.AttributeTypes()
	for _, t := range attrs {
		if !isArtifactType(t) {
			return false
		}
	}
	return len(attrs) > 0
}

// stageInputDiag reports an expansion error at the argument's source.
func stageInputDiag(st *Stage, err error) *hcl.Diagnostic {
	rng := st.DeclRange
	name, _, _ := strings.Cut(err.Error(), ":")
	if b, ok := st.body.(*hclsyntax.Body); ok {
		if a, ok := b.Attributes[name]; ok {
			rng = a.Expr.Range()
		}
	}
	return errDiag(rng, "Invalid whole-stage argument", err.Error()+".")
}
