package analysisio

import (
	"errors"
	"fmt"
	"slices"
	"sort"

	"github.com/zclconf/go-cty/cty"

	"github.com/tr119/tr119/analysis/runs"
	"github.com/tr119/tr119/schema"
)

// DeviceClasses are the device classes a per-class value may name: a
// benchmark's device "cpu" is class cpu, "cuda" and "cuda:N" class gpu.
var DeviceClasses = []string{"cpu", "gpu"}

// ConfidenceAttr is the confidence level of intervals, shared by the
// analysis kinds.
func ConfidenceAttr() *schema.Attr {
	return &schema.Attr{Name: "confidence", Type: cty.Number, Default: cty.NumberFloatVal(0.95),
		Check: openUnit, Doc: "The confidence level of intervals, strictly between 0 and 1."}
}

func openUnit(v cty.Value) error {
	if f, _ := v.AsBigFloat().Float64(); f <= 0 || f >= 1 {
		return fmt.Errorf("%s: want a level strictly between 0 and 1, e.g. 0.95", schema.FormatValue(v))
	}
	return nil
}

// PolicyAttr is energy_policy: which telemetry domains a cell's energy
// counts.
func PolicyAttr() *schema.Attr {
	return &schema.Attr{Name: "energy_policy", Type: cty.String, Default: cty.StringVal(runs.PolicyDominant),
		OneOf: []string{runs.PolicyDominant, runs.PolicySum},
		Doc:   "Which energy domains count: the device's dominant one (gpu for gpu cells, cpu_package otherwise) or their sum."}
}

// BasisAttr is energy_basis: total or idle-subtracted energy.
func BasisAttr() *schema.Attr {
	return &schema.Attr{Name: "energy_basis", Type: cty.String, Default: cty.StringVal(runs.BasisTotal),
		OneOf: []string{runs.BasisTotal, runs.BasisActive},
		Doc:   "Total measured energy, or active energy (idle baseline subtracted)."}
}

// PerClassAttr declares a number, or a map of numbers by device class
// ({ cpu = 0.17, gpu = 1.006 }), each at least min.
func PerClassAttr(name string, required bool, min float64, doc string) *schema.Attr {
	return &schema.Attr{Name: name, Type: cty.DynamicPseudoType, TypeName: "number or map of number by device class",
		Required: required, Min: schema.Float(min), Check: CheckPerClass, Doc: doc}
}

// CheckPerClass accepts a number or an object/map of numbers keyed by a
// device class.
func CheckPerClass(v cty.Value) error {
	t := v.Type()
	if t == cty.Number {
		return nil
	}
	if !t.IsObjectType() && !t.IsMapType() {
		return fmt.Errorf("want a number or a map of numbers by device class such as { cpu = 0.17, gpu = 1.006 }, got %s", t.FriendlyName())
	}
	for it := v.ElementIterator(); it.Next(); {
		k, e := it.Element()
		key := k.AsString()
		p := cty.Path{cty.IndexStep{Key: k}}
		if t.IsObjectType() {
			p = cty.GetAttrPath(key)
		}
		if !slices.Contains(DeviceClasses, key) {
			return schema.Errorf(p, "Unknown device class", "%q is not a device class: use %q or %q.%s", key, "cpu", "gpu", schema.DidYouMean(key, DeviceClasses))
		}
		if e.IsNull() || e.Type() != cty.Number {
			return schema.Errorf(p, "Invalid value", "the %s value must be a number", key)
		}
	}
	return nil
}

// NumberOrMap decodes a per-class value (see PerClassAttr): a number
// (every key) or a map/object of numbers (one per key). byKey is nil for a
// plain number.
func NumberOrMap(x cty.Value, name string) (all float64, byKey map[string]float64, err error) {
	switch t := x.Type(); {
	case x.IsNull():
		return 0, nil, errors.New(name + ": missing")
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

// ClassKeys returns the device classes a per-class value names (nil for
// a plain number or a value not known yet).
func ClassKeys(v cty.Value) []string {
	if v.IsNull() || !v.IsWhollyKnown() || !(v.Type().IsObjectType() || v.Type().IsMapType()) {
		return nil
	}
	return SortedKeys(v)
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
