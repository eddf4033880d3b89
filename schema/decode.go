package schema

import (
	"errors"
	"fmt"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/gocty"
)

// WithDefaults returns v with every null or absent attribute that has a
// Default replaced by it, in nested blocks too; other absent attributes
// and blocks are added as null (or empty). An absent Single block whose body
// declares defaults becomes an object of those defaults, so that a Go
// struct sees them; a Required block stays null.
func (b *Body) WithDefaults(v cty.Value) cty.Value {
	if b == nil || !v.IsKnown() || !v.Type().IsObjectType() {
		return v
	}
	if v.IsNull() {
		return v
	}
	vals := v.AsValueMap()
	if vals == nil {
		vals = map[string]cty.Value{}
	}
	empty := b.nullObject()
	for _, a := range b.Attrs {
		x, ok := vals[a.Name]
		switch {
		case (!ok || x.IsNull()) && a.Default != cty.NilVal:
			vals[a.Name] = a.Default
		case !ok:
			vals[a.Name] = empty.GetAttr(a.Name)
		}
	}
	for _, x := range b.Blocks {
		cur, ok := vals[x.Name]
		if !ok {
			cur = empty.GetAttr(x.Name)
			vals[x.Name] = cur
		}
		if !cur.IsKnown() {
			continue
		}
		switch {
		case x.Nesting == Single && cur.IsNull() && !x.Required && x.Body.hasDefaults():
			vals[x.Name] = x.Body.WithDefaults(x.Body.nullObject())
		case x.Nesting == Single:
			vals[x.Name] = x.Body.WithDefaults(cur)
		case !cur.IsNull() && cur.LengthInt() > 0:
			vals[x.Name] = x.mapElements(cur)
		}
	}
	return cty.ObjectVal(vals)
}

// mapElements applies WithDefaults to each element of a List or Map
// block's value, keeping the value's kind (list, tuple or object).
func (x *Block) mapElements(v cty.Value) cty.Value {
	ty := v.Type()
	if ty.IsObjectType() {
		m := map[string]cty.Value{}
		for k, e := range v.AsValueMap() {
			m[k] = x.Body.WithDefaults(e)
		}
		return cty.ObjectVal(m)
	}
	var out []cty.Value
	for _, e := range v.AsValueSlice() {
		out = append(out, x.Body.WithDefaults(e))
	}
	if ty.IsListType() {
		return cty.ListVal(out)
	}
	return cty.TupleVal(out)
}

func (b *Body) hasDefaults() bool {
	for _, a := range b.Attrs {
		if a.Default != cty.NilVal {
			return true
		}
	}
	for _, x := range b.Blocks {
		if x.Nesting == Single && !x.Required && x.Body.hasDefaults() {
			return true
		}
	}
	return false
}

// nullObject is the value of an empty body: every attribute null, every
// block absent.
func (b *Body) nullObject() cty.Value {
	vals := map[string]cty.Value{}
	for _, a := range b.Attrs {
		vals[a.Name] = cty.NullVal(a.Type)
	}
	for _, x := range b.Blocks {
		switch x.Nesting {
		case Single:
			vals[x.Name] = cty.NullVal(cty.DynamicPseudoType)
		case List:
			vals[x.Name] = cty.EmptyTupleVal
		case Map:
			vals[x.Name] = cty.EmptyObjectVal
		}
	}
	return cty.ObjectVal(vals)
}

// Decode fills b's defaults into v and converts the result into dst, a
// pointer to a struct whose fields carry `cty:"name"` tags for every
// attribute and block of the body (gocty). Optional attributes without a
// default need pointer, slice or map fields (null decodes to nil); a
// field of type cty.Value takes the value as it is. Call it on a value
// that passed Validate and is wholly known.
func (b *Body) Decode(v cty.Value, dst any) error {
	if !v.IsWhollyKnown() {
		return fmt.Errorf("decode: the config is not yet known")
	}
	return Decode(b.mapBlocks(b.WithDefaults(v)), dst)
}

// mapBlocks turns each Map block's object (keyed by label) into a cty map
// and each List block's tuple into a list where the elements' types unify,
// so that they decode into a Go map or slice (nil when there are none).
// Where they do not (dynamically typed attributes differing between
// blocks), they stay as they are, for a cty.Value field.
func (b *Body) mapBlocks(v cty.Value) cty.Value {
	if b == nil || v.IsNull() || !v.IsKnown() || !v.Type().IsObjectType() {
		return v
	}
	vals := v.AsValueMap()
	if vals == nil {
		return v
	}
	for _, x := range b.Blocks {
		cur, ok := vals[x.Name]
		if !ok || cur.IsNull() || !cur.IsKnown() {
			continue
		}
		switch x.Nesting {
		case Single:
			vals[x.Name] = x.Body.mapBlocks(cur)
		case List:
			var out []cty.Value
			for _, e := range cur.AsValueSlice() {
				out = append(out, x.Body.mapBlocks(e))
			}
			if len(out) == 0 {
				vals[x.Name] = cty.NullVal(cty.List(cty.DynamicPseudoType))
			} else if lv, err := convert.Convert(cty.TupleVal(out), cty.List(cty.DynamicPseudoType)); err == nil {
				vals[x.Name] = lv
			} else {
				vals[x.Name] = cty.TupleVal(out)
			}
		case Map:
			m := map[string]cty.Value{}
			for k, e := range cur.AsValueMap() {
				m[k] = x.Body.mapBlocks(e)
			}
			if len(m) == 0 {
				vals[x.Name] = cty.NullVal(cty.Map(cty.DynamicPseudoType))
				continue
			}
			if mv, err := convert.Convert(cty.ObjectVal(m), cty.Map(cty.DynamicPseudoType)); err == nil {
				vals[x.Name] = mv
			} else {
				vals[x.Name] = cty.ObjectVal(m)
			}
		}
	}
	return cty.ObjectVal(vals)
}

// Decode converts v into dst, a pointer to a struct with `cty:"name"`
// field tags (gocty), without filling defaults (see Body.Decode). An
// error names the offending attribute's path.
func Decode(v cty.Value, dst any) error {
	err := gocty.FromCtyValue(v, dst)
	if pe, ok := err.(cty.PathError); ok {
		if p := FormatPath(pe.Path); p != "" {
			return fmt.Errorf("%s: %w", p, err)
		}
	}
	return err
}

// ValidateDecode validates v and, when it passes, decodes it into dst
// (Body.Decode). A kind's Run uses it so that a config that did not come
// through the engine's checks is refused all the same; the error names
// every violation's path.
func (b *Body) ValidateDecode(v cty.Value, dst any) error {
	if errs := b.Validate(v); len(errs) > 0 {
		all := make([]error, len(errs))
		for i, e := range errs {
			all[i] = e
		}
		return errors.Join(all...)
	}
	return b.Decode(v, dst)
}

// FillAbsent returns v (an object, possibly empty or null) with a null
// value for every attribute of b it lacks, so that WithDefaults and
// Validate see the whole body.
func (b *Body) FillAbsent(v cty.Value) cty.Value {
	m := map[string]cty.Value{}
	if !v.IsNull() && v.IsKnown() {
		for k, x := range v.AsValueMap() {
			m[k] = x
		}
	}
	for _, a := range b.Attrs {
		if _, ok := m[a.Name]; !ok {
			m[a.Name] = cty.NullVal(a.Type)
		}
	}
	return cty.ObjectVal(m)
}
