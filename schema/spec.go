package schema

import (
	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/zclconf/go-cty/cty"
)

// Spec returns the hcldec spec that decodes a body of this schema into an
// object with one attribute per Attr and Block. Absent attributes decode to
// null (or their Default where SpecDefault is set); an absent Single block
// to null, absent List blocks to an empty list, absent Map blocks to an
// empty object.
func (b *Body) Spec() hcldec.Spec {
	s := hcldec.ObjectSpec{}
	if b == nil {
		return s
	}
	for _, a := range b.Attrs {
		var as hcldec.Spec = &hcldec.AttrSpec{Name: a.Name, Type: a.Type, Required: a.Required}
		if a.SpecDefault && a.Default != cty.NilVal {
			as = &hcldec.DefaultSpec{Primary: as, Default: &hcldec.LiteralSpec{Value: a.Default}}
		}
		s[a.Name] = as
	}
	for _, x := range b.Blocks {
		s[x.Name] = x.spec()
	}
	return s
}

func (x *Block) spec() hcldec.Spec {
	nested := x.Body.Spec()
	switch x.Nesting {
	case List:
		if x.Body.dynamic() {
			return &hcldec.BlockTupleSpec{TypeName: x.Name, Nested: nested, MinItems: x.minItems(), MaxItems: x.MaxItems}
		}
		return &hcldec.BlockListSpec{TypeName: x.Name, Nested: nested, MinItems: x.minItems(), MaxItems: x.MaxItems}
	case Map:
		return &hcldec.BlockObjectSpec{TypeName: x.Name, LabelNames: []string{x.label()}, Nested: nested}
	}
	return &hcldec.BlockSpec{TypeName: x.Name, Nested: nested, Required: x.Required}
}

func (x *Block) minItems() int {
	if x.Required && x.MinItems == 0 {
		return 1
	}
	return x.MinItems
}

func (x *Block) label() string {
	if x.Label == "" {
		return "name"
	}
	return x.Label
}

// dynamic reports whether a body's decoded type may differ between
// blocks: it has a dynamically typed attribute or a Map block.
func (b *Body) dynamic() bool {
	if b == nil {
		return false
	}
	for _, a := range b.Attrs {
		if a.Type.HasDynamicTypes() {
			return true
		}
	}
	for _, x := range b.Blocks {
		if x.Nesting == Map || x.Body.dynamic() {
			return true
		}
	}
	return false
}
