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

func strList(v cty.Value) ([]string, error) {
	if v.IsNull() {
		return nil, nil
	}
	if !v.CanIterateElements() {
		return nil, fmt.Errorf("want a list of strings")
	}
	var out []string
	for it := v.ElementIterator(); it.Next(); {
		_, e := it.Element()
		s, err := str(e)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

func strMap(v cty.Value) (map[string]string, error) {
	if v.IsNull() {
		return nil, nil
	}
	if !v.CanIterateElements() {
		return nil, fmt.Errorf("want a map of strings")
	}
	out := map[string]string{}
	for it := v.ElementIterator(); it.Next(); {
		k, e := it.Element()
		s, err := str(e)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", k.AsString(), err)
		}
		out[k.AsString()] = s
	}
	return out, nil
}
