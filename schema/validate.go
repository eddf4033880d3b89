package schema

import (
	"fmt"
	"math/big"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/zclconf/go-cty/cty"
)

// Validate checks a value decoded with b.Spec() against the schema and
// returns every violation, in schema order. Unknown values (outputs of
// stages that have not run yet) are skipped, so Validate may be called
// before and again after upstream stages run. Paths start at v: an
// attribute's path is cty.GetAttrPath(name); a Map block's element is
// reached by an IndexStep with its label, a List block's by its number.
func (b *Body) Validate(v cty.Value) []*PathError {
	return b.validate(nil, v)
}

func (b *Body) validate(path cty.Path, v cty.Value) []*PathError {
	if b == nil || v.IsNull() || !v.IsKnown() || !v.Type().IsObjectType() {
		return nil
	}
	v = b.complete(v)
	var errs []*PathError
	for _, a := range b.Attrs {
		if v.Type().HasAttribute(a.Name) {
			errs = append(errs, a.validate(path.GetAttr(a.Name), v.GetAttr(a.Name))...)
		}
	}
	for _, x := range b.Blocks {
		if v.Type().HasAttribute(x.Name) {
			errs = append(errs, x.validate(path.GetAttr(x.Name), v.GetAttr(x.Name))...)
		}
	}
	for _, r := range b.Rules {
		for _, e := range r.Check(v) {
			e.Path = join(path, e.Path)
			errs = append(errs, e)
		}
	}
	return errs
}

// complete adds the attributes and blocks v lacks as null (or empty), in
// nested blocks too, so that rules may read every declared name.
func (b *Body) complete(v cty.Value) cty.Value {
	if b == nil || v.IsNull() || !v.IsKnown() || !v.Type().IsObjectType() {
		return v
	}
	vals := v.AsValueMap()
	if vals == nil {
		vals = map[string]cty.Value{}
	}
	empty := b.nullObject()
	for name := range empty.Type().AttributeTypes() {
		if _, ok := vals[name]; !ok {
			vals[name] = empty.GetAttr(name)
		}
	}
	for _, x := range b.Blocks {
		cur := vals[x.Name]
		if cur.IsNull() || !cur.IsKnown() {
			continue
		}
		switch {
		case x.Nesting == Single:
			vals[x.Name] = x.Body.complete(cur)
		case cur.Type().IsObjectType():
			m := cur.AsValueMap()
			for k, e := range m {
				m[k] = x.Body.complete(e)
			}
			if len(m) > 0 {
				vals[x.Name] = cty.ObjectVal(m)
			}
		case cur.Type().IsTupleType() || cur.Type().IsListType():
			var out []cty.Value
			for _, e := range cur.AsValueSlice() {
				out = append(out, x.Body.complete(e))
			}
			if len(out) > 0 {
				vals[x.Name] = cty.TupleVal(out)
			}
		}
	}
	return cty.ObjectVal(vals)
}

// join returns a fresh path of p followed by q.
func join(p, q cty.Path) cty.Path {
	out := make(cty.Path, 0, len(p)+len(q))
	return append(append(out, p...), q...)
}

func (x *Block) validate(path cty.Path, v cty.Value) []*PathError {
	if !v.IsKnown() {
		return nil
	}
	if v.IsNull() {
		if x.Required {
			return []*PathError{{Path: path, Summary: "Missing " + x.Name + " block",
				Detail: fmt.Sprintf("A %s block is required (%s). Add it.", x.Name, x.Doc)}}
		}
		return nil
	}
	if x.Nesting == Single {
		return x.Body.validate(path, v)
	}
	var errs []*PathError
	n := 0
	for it := v.ElementIterator(); it.Next(); n++ {
		k, e := it.Element()
		errs = append(errs, x.Body.validate(path.Index(k), e)...)
	}
	if x.minItems() > 0 && n < x.minItems() {
		errs = append(errs, &PathError{Path: path, Summary: "Too few " + x.Name + " blocks",
			Detail: fmt.Sprintf("Write at least %d %s block(s), got %d.", x.minItems(), x.Name, n)})
	}
	if x.MaxItems > 0 && n > x.MaxItems {
		errs = append(errs, &PathError{Path: path, Summary: "Too many " + x.Name + " blocks",
			Detail: fmt.Sprintf("Write at most %d %s block(s), got %d.", x.MaxItems, x.Name, n)})
	}
	return errs
}

func (a *Attr) validate(path cty.Path, v cty.Value) []*PathError {
	if !v.IsKnown() {
		return nil
	}
	if v.IsNull() {
		if a.Required {
			return []*PathError{{Path: path, Summary: "Missing required argument",
				Detail: fmt.Sprintf("%s is required, not null: %s", a.Name, a.Doc)}}
		}
		return nil
	}
	var errs []*PathError
	add := func(p cty.Path, summary, format string, args ...any) {
		errs = append(errs, &PathError{Path: p, Summary: summary, Detail: fmt.Sprintf(format, args...)})
	}
	ty := v.Type()
	if ty.IsListType() || ty.IsSetType() || ty.IsTupleType() || ty.IsMapType() {
		n := v.LengthInt()
		if a.MinItems > 0 && n < a.MinItems {
			add(path, "Too few elements", "%s needs at least %d element(s), got %d.", a.Name, a.MinItems, n)
		}
		if a.Unique && v.IsWhollyKnown() {
			seen := map[string]bool{}
			for it := v.ElementIterator(); it.Next(); {
				k, e := it.Element()
				s := FormatValue(e)
				if seen[s] {
					add(path.Index(k), "Duplicate element", "%s lists %s twice. Remove one.", a.Name, s)
				}
				seen[s] = true
			}
		}
	}
	for _, el := range elements(path, v) {
		errs = append(errs, a.validatePrimitive(el.path, el.v)...)
	}
	if a.Check != nil && v.IsWhollyKnown() {
		if err := a.Check(v); err != nil {
			var pe *PathError
			if asPathError(err, &pe) {
				pe.Path = join(path, pe.Path)
				errs = append(errs, pe)
			} else {
				add(path, "Invalid value", "%s", err.Error())
			}
		}
	}
	return errs
}

func asPathError(err error, pe **PathError) bool {
	p, ok := err.(*PathError)
	if ok {
		*pe = p
	}
	return ok
}

type pathValue struct {
	path cty.Path
	v    cty.Value
}

// elements returns v itself when it is primitive, else its known,
// non-null primitive elements one level down (list, set, tuple, map or
// object), with their paths.
func elements(path cty.Path, v cty.Value) []pathValue {
	ty := v.Type()
	if ty.IsPrimitiveType() {
		return []pathValue{{path, v}}
	}
	if !(ty.IsCollectionType() || ty.IsTupleType() || ty.IsObjectType()) {
		return nil
	}
	var out []pathValue
	for it := v.ElementIterator(); it.Next(); {
		k, e := it.Element()
		if !e.IsKnown() || e.IsNull() || !e.Type().IsPrimitiveType() {
			continue
		}
		p := path.Index(k)
		if ty.IsObjectType() {
			p = path.GetAttr(k.AsString())
		}
		out = append(out, pathValue{p, e})
	}
	return out
}

// validatePrimitive applies the per-value checks to one known primitive.
// (The engine rejects numbers beyond a float64 in any stage's config.)
func (a *Attr) validatePrimitive(path cty.Path, v cty.Value) []*PathError {
	var errs []*PathError
	add := func(summary, format string, args ...any) {
		errs = append(errs, &PathError{Path: path, Summary: summary, Detail: fmt.Sprintf(format, args...)})
	}
	switch v.Type() {
	case cty.String:
		s := v.AsString()
		if len(a.OneOf) > 0 && !slices.Contains(a.OneOf, s) {
			add("Invalid value", "%q is not one of %s.%s", s, QuoteList(a.OneOf), DidYouMean(s, a.OneOf))
		}
		if n := utf8.RuneCountInString(s); a.MaxLen > 0 && n > a.MaxLen {
			add("Value too long", "%s is %d characters long; at most %d are allowed.", a.Name, n, a.MaxLen)
		}
	case cty.Number:
		f := v.AsBigFloat()
		txt := NumberText(f)
		if a.Integer && !f.IsInt() {
			add("Invalid value", "%s is not a whole number: %s wants one.", txt, a.Name)
		}
		if a.Min != nil && f.Cmp(big.NewFloat(*a.Min)) < 0 {
			add("Value out of range", "%s is below the minimum of %s: %s wants %s.", txt, fmtFloat(*a.Min), a.Name, rangeText(a.Min, a.Max))
		}
		if a.Max != nil && f.Cmp(big.NewFloat(*a.Max)) > 0 {
			add("Value out of range", "%s is above the maximum of %s: %s wants %s.", txt, fmtFloat(*a.Max), a.Name, rangeText(a.Min, a.Max))
		}
	}
	return errs
}

// QuoteList joins the strings quoted, with ", ": "a", "b".
func QuoteList(list []string) string {
	q := make([]string, len(list))
	for i, s := range list {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}

func fmtFloat(x float64) string { return NumberText(big.NewFloat(x)) }

// rangeText describes a range: "a number from 1 to 100", "a number >= 0".
func rangeText(lo, hi *float64) string {
	switch {
	case lo != nil && hi != nil:
		return fmt.Sprintf("a value from %s to %s", fmtFloat(*lo), fmtFloat(*hi))
	case lo != nil:
		return "a value >= " + fmtFloat(*lo)
	case hi != nil:
		return "a value <= " + fmtFloat(*hi)
	}
	return "any number"
}
