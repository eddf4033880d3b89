package analysisio

import (
	"fmt"
	"sort"

	"github.com/zclconf/go-cty/cty"

	"github.com/tr119/tr119/engine"
)

// Attr returns the attribute of an object value, or a null value when it
// is absent.
func Attr(v cty.Value, name string) cty.Value {
	if v.IsNull() || !v.Type().IsObjectType() || !v.Type().HasAttribute(name) {
		return cty.NullVal(cty.DynamicPseudoType)
	}
	return v.GetAttr(name)
}

// Artifacts converts an artifact or a list of artifacts.
func Artifacts(v cty.Value, name string) ([]engine.Artifact, error) {
	if v.IsNull() {
		return nil, fmt.Errorf("%s: required (a stage output reference such as stage.import.runs.table)", name)
	}
	var vals []cty.Value
	if t := v.Type(); t.IsListType() || t.IsTupleType() || t.IsSetType() {
		vals = v.AsValueSlice()
	} else {
		vals = []cty.Value{v}
	}
	out := make([]engine.Artifact, 0, len(vals))
	for i, x := range vals {
		a, err := engine.ArtifactFromValue(x)
		if err != nil {
			return nil, fmt.Errorf("%s[%d]: %w", name, i, err)
		}
		out = append(out, a)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: empty list", name)
	}
	return out, nil
}

// Number returns a number attribute or def when it is null.
func Number(v cty.Value, name string, def float64) (float64, error) {
	x := Attr(v, name)
	if x.IsNull() {
		return def, nil
	}
	if x.Type() != cty.Number {
		return 0, fmt.Errorf("%s: want a number, got %s", name, x.Type().FriendlyName())
	}
	f, _ := x.AsBigFloat().Float64()
	return f, nil
}

// String returns a string attribute or def when it is null.
func String(v cty.Value, name, def string) (string, error) {
	x := Attr(v, name)
	if x.IsNull() {
		return def, nil
	}
	if x.Type() != cty.String {
		return "", fmt.Errorf("%s: want a string, got %s", name, x.Type().FriendlyName())
	}
	return x.AsString(), nil
}

// Bool returns a bool attribute or def when it is null.
func Bool(v cty.Value, name string, def bool) (bool, error) {
	x := Attr(v, name)
	if x.IsNull() {
		return def, nil
	}
	if x.Type() != cty.Bool {
		return false, fmt.Errorf("%s: want true or false, got %s", name, x.Type().FriendlyName())
	}
	return x.True(), nil
}

// NumberOrMap decodes a number (every key) or a map/object of numbers
// (one per key, e.g. per device class). byKey is nil for a plain number.
func NumberOrMap(x cty.Value, name string) (all float64, byKey map[string]float64, err error) {
	switch t := x.Type(); {
	case t == cty.Number:
		all, _ = x.AsBigFloat().Float64()
		return all, nil, nil
	case t.IsObjectType() || t.IsMapType():
		byKey = map[string]float64{}
		for it := x.ElementIterator(); it.Next(); {
			k, e := it.Element()
			if e.IsNull() || e.Type() != cty.Number {
				return 0, nil, fmt.Errorf("%s.%s: want a number", name, k.AsString())
			}
			byKey[k.AsString()], _ = e.AsBigFloat().Float64()
		}
		return 0, byKey, nil
	}
	return 0, nil, fmt.Errorf("%s: want a number or a map of numbers by device class, got %s", name, x.Type().FriendlyName())
}

// SortedKeys returns an object's attribute names, sorted.
func SortedKeys(v cty.Value) []string {
	if v.IsNull() || !(v.Type().IsObjectType() || v.Type().IsMapType()) {
		return nil
	}
	var out []string
	for it := v.ElementIterator(); it.Next(); {
		k, _ := it.Element()
		out = append(out, k.AsString())
	}
	sort.Strings(out)
	return out
}
