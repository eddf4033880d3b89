package engine

import (
	"fmt"
	"math"

	"github.com/hashicorp/hcl/v2"
	"github.com/tr119/tr119/schema"
	"github.com/zclconf/go-cty/cty"
)

// nonFinite returns the path and value of the first number in v that is
// infinite or beyond a float64's range (cty numbers are arbitrary
// precision, but every stage reads float64 and 1e309 becomes +Inf there;
// they cannot be NaN), or ok false. Unknown values are skipped.
func nonFinite(v cty.Value) (path cty.Path, num cty.Value, ok bool) {
	cty.Walk(v, func(p cty.Path, x cty.Value) (bool, error) {
		if ok || !x.IsKnown() || x.IsNull() {
			return false, nil
		}
		if x.Type() == cty.Number && isInf(x) {
			path, num, ok = p.Copy(), x, true
			return false, nil
		}
		return true, nil
	})
	return path, num, ok
}

// isInf reports whether a known number is infinite as a float64.
func isInf(v cty.Value) bool {
	f, _ := v.AsBigFloat().Float64()
	return math.IsInf(f, 0)
}

// notFinite says that the number v at where is not finite:
// "price is +Inf, not a finite number", or for a value beyond a float64
// "price is 1e+309, not a finite number (a 64-bit float holds up to about
// 1.8e308)".
func notFinite(where string, v cty.Value) string {
	b := v.AsBigFloat()
	switch {
	case !b.IsInf():
		return fmt.Sprintf("%s is %s, not a finite number (a 64-bit float holds up to about 1.8e308)", where, b.Text('g', 6))
	case b.Signbit():
		return where + " is -Inf, not a finite number"
	}
	return where + " is +Inf, not a finite number"
}

// nonFiniteStageDiags reports the first infinite number in a stage's
// evaluated config, at the attribute's range where the body has one.
// Arithmetic overflow (1e308 * 10) and division by zero give infinity in
// HCL; no stage can take it, and left alone it fails much later as
// "canonical json: invalid number literal".
func (p *Pipeline) nonFiniteStageDiags(st *Stage, v cty.Value) hcl.Diagnostics {
	if v == cty.NilVal {
		return nil
	}
	path, num, ok := nonFinite(v)
	if !ok {
		return nil
	}
	rng, _ := p.pathRange(st.body, path, st.DeclRange)
	return hcl.Diagnostics{errDiag(rng, "Number is not finite",
		notFinite(schema.FormatPath(path)+" of "+st.Addr, num)+". An overflow or a division by zero makes one; give a finite number.")}
}
