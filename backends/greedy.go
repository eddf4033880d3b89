package backends

import (
	"fmt"
	"math"
)

// Argmax returns the index of the largest of logits. A NaN anywhere is an
// invariant error, found in the same pass.
func Argmax(logits []float32) (int64, error) {
	best, bi := float32(math.Inf(-1)), -1
	for i, v := range logits {
		if v != v {
			return 0, fmt.Errorf("%w: NaN logit at vocab index %d", ErrInvariant, i)
		}
		if v > best || bi < 0 {
			best, bi = v, i
		}
	}
	if bi < 0 {
		return 0, fmt.Errorf("%w: empty logits", ErrInvariant)
	}
	return int64(bi), nil
}

// CheckFinite returns an invariant error for the first NaN or infinity.
func CheckFinite(name string, v []float32) error {
	for i, x := range v {
		if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
			return fmt.Errorf("%w: %s[%d] = %v", ErrInvariant, name, i, x)
		}
	}
	return nil
}
