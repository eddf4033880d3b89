package benchmark

import (
	"fmt"
	"math/big"

	"github.com/zclconf/go-cty/cty"
)

func str(v cty.Value) (string, error) {
	if v.IsNull() || !v.IsKnown() || v.Type() != cty.String {
		return "", fmt.Errorf("want a string")
	}
	return v.AsString(), nil
}

// intAttr reads a whole number within [lo, hi].
func intAttr(v cty.Value, lo, hi int64) (int, error) {
	if v.IsNull() || !v.IsKnown() || v.Type() != cty.Number {
		return 0, fmt.Errorf("want a number")
	}
	bf := v.AsBigFloat()
	n, acc := bf.Int64()
	if acc != big.Exact {
		return 0, fmt.Errorf("%s is not a whole number", bf.Text('g', -1))
	}
	if n < lo || n > hi {
		return 0, fmt.Errorf("%d is out of range [%d, %d]", n, lo, hi)
	}
	return int(n), nil
}
