package schema

import (
	"fmt"
	"math/big"
	"strings"

	"github.com/agext/levenshtein"
	"github.com/zclconf/go-cty/cty"
)

// FormatPath writes a path as HCL would reference it: a.b[0]["key"].
func FormatPath(p cty.Path) string {
	var b strings.Builder
	for _, s := range p {
		switch s := s.(type) {
		case cty.GetAttrStep:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(s.Name)
		case cty.IndexStep:
			b.WriteString("[" + FormatValue(s.Key) + "]")
		}
	}
	return b.String()
}

// FormatValue writes a known primitive value as HCL source ("abc", 1.5,
// true); other values by their type's name.
func FormatValue(v cty.Value) string {
	switch {
	case !v.IsKnown():
		return "(known after apply)"
	case v.IsNull():
		return "null"
	case v.Type() == cty.String:
		return fmt.Sprintf("%q", v.AsString())
	case v.Type() == cty.Number:
		return NumberText(v.AsBigFloat())
	case v.Type() == cty.Bool:
		return fmt.Sprint(v.True())
	}
	if v.CanIterateElements() {
		var parts []string
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			parts = append(parts, FormatValue(e))
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	return v.Type().FriendlyName()
}

// Suggest returns the candidate closest to s by edit distance, or "" when
// none is a plausible typo (distance < 3, as HCL's suggestions use).
func Suggest(s string, candidates []string) string {
	best, bestDist := "", 3
	for _, c := range candidates {
		if d := levenshtein.Distance(s, c, nil); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

// DidYouMean is " Did you mean "x"?" for a close candidate, else "".
func DidYouMean(s string, candidates []string) string {
	if c := Suggest(s, candidates); c != "" {
		return fmt.Sprintf(" Did you mean %q?", c)
	}
	return ""
}

// Known returns v's attribute at the path of names when it is known and
// not null; ok is false otherwise (absent, null or known only after
// apply), which a Rule takes as "cannot judge yet".
func Known(v cty.Value, names ...string) (x cty.Value, ok bool) {
	x = v
	for _, n := range names {
		if x.IsNull() || !x.IsKnown() || !x.Type().IsObjectType() || !x.Type().HasAttribute(n) {
			return cty.NilVal, false
		}
		x = x.GetAttr(n)
	}
	if x.IsNull() || !x.IsWhollyKnown() {
		return cty.NilVal, false
	}
	return x, true
}

// Errorf returns a PathError at path with a formatted detail; Check
// functions return one to point below the attribute (at a map key, say).
func Errorf(path cty.Path, summary, format string, args ...any) *PathError {
	return &PathError{Path: path, Summary: summary, Detail: fmt.Sprintf(format, args...)}
}

// NumberText writes a number as a person would: whole numbers below 1e21
// in full (18446744073709551616), others in the shortest %g form.
func NumberText(f *big.Float) string {
	if f.IsInt() && f.MantExp(nil) <= 70 {
		return f.Text('f', 0)
	}
	return f.Text('g', -1)
}
