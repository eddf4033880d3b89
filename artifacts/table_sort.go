package artifacts

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// SelectColumns returns a table of tbl's columns called names, in that
// order, with tbl's schema metadata. The caller releases it.
func SelectColumns(tbl arrow.Table, names []string) (arrow.Table, error) {
	s := tbl.Schema()
	fields := make([]arrow.Field, len(names))
	cols := make([]arrow.Column, len(names))
	seen := map[string]bool{}
	for i, n := range names {
		if seen[n] {
			return nil, fmt.Errorf("column %q selected twice", n)
		}
		seen[n] = true
		j, err := ColumnIndex(s, n)
		if err != nil {
			return nil, fmt.Errorf("%w (columns: %s)", err, strings.Join(fieldNames(s), ", "))
		}
		fields[i], cols[i] = s.Field(j), *tbl.Column(j)
	}
	md := s.Metadata()
	return array.NewTable(arrow.NewSchema(fields, &md), cols, tbl.NumRows()), nil
}

func fieldNames(s *arrow.Schema) []string {
	out := make([]string, s.NumFields())
	for i, f := range s.Fields() {
		out[i] = f.Name
	}
	return out
}

// SortKey is one sort column: Desc sorts it in descending order. Nulls
// sort last either way; NaN counts as larger than every number.
type SortKey struct {
	Column string
	Desc   bool
}

// ParseSortKey parses "col" (ascending) or "-col" (descending).
func ParseSortKey(s string) SortKey {
	if rest, ok := strings.CutPrefix(s, "-"); ok {
		return SortKey{Column: rest, Desc: true}
	}
	return SortKey{Column: s}
}

// SortTable returns tbl's rows stably sorted by keys. Columns may be
// string, int64, float64 or bool. The caller releases the result.
func SortTable(tbl arrow.Table, keys []SortKey) (arrow.Table, error) {
	cmps := make([]func(a, b int) int, len(keys))
	for i, k := range keys {
		c, err := columnCompare(tbl, k.Column)
		if err != nil {
			return nil, fmt.Errorf("sort by %q: %w", k.Column, err)
		}
		if k.Desc {
			cmps[i] = func(a, b int) int { return c(b, a, true) }
		} else {
			cmps[i] = func(a, b int) int { return c(a, b, false) }
		}
	}
	idx := make([]int, tbl.NumRows())
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		for _, c := range cmps {
			if r := c(a, b); r != 0 {
				return r
			}
		}
		return 0
	})
	return TakeRows(tbl, idx)
}

// columnCompare returns a comparison of two rows of one column; swapped
// says the caller swapped the rows (descending), so nulls still go last.
func columnCompare(tbl arrow.Table, name string) (func(a, b int, swapped bool) int, error) {
	i, err := ColumnIndex(tbl.Schema(), name)
	if err != nil {
		return nil, err
	}
	var valid []bool
	var less func(a, b int) int
	switch t := tbl.Schema().Field(i).Type; t.ID() {
	case arrow.STRING:
		v, ok, _ := StringCol(tbl, name)
		valid, less = ok, func(a, b int) int { return strings.Compare(v[a], v[b]) }
	case arrow.INT64:
		v, ok, _ := Int64Col(tbl, name)
		valid, less = ok, func(a, b int) int { return cmp.Compare(v[a], v[b]) }
	case arrow.FLOAT64:
		v, ok, _ := Float64Col(tbl, name)
		// cmp.Compare puts NaN first; here NaN is larger than any number.
		valid, less = ok, func(a, b int) int {
			na, nb := math.IsNaN(v[a]), math.IsNaN(v[b])
			if na || nb {
				return boolCompare(na, nb)
			}
			return cmp.Compare(v[a], v[b])
		}
	case arrow.BOOL:
		v, ok, _ := BoolCol(tbl, name)
		valid, less = ok, func(a, b int) int { return boolCompare(v[a], v[b]) }
	default:
		return nil, fmt.Errorf("column type %s cannot be sorted", t)
	}
	return func(a, b int, swapped bool) int {
		if !valid[a] || !valid[b] {
			r := boolCompare(!valid[a], !valid[b])
			if swapped {
				return -r
			}
			return r
		}
		return less(a, b)
	}, nil
}

func boolCompare(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// TakeRows returns a table of tbl's rows at idx, in that order. Columns
// may be string, int64, float64 or bool. The caller releases the result.
func TakeRows(tbl arrow.Table, idx []int) (arrow.Table, error) {
	s := tbl.Schema()
	cols := make([]Column, s.NumFields())
	for c, f := range s.Fields() {
		var err error
		if cols[c], err = takeColumn(tbl, f, idx); err != nil {
			return nil, fmt.Errorf("take rows: %w", err)
		}
	}
	return NewTable(s, cols...)
}

func takeColumn(tbl arrow.Table, f arrow.Field, idx []int) (Column, error) {
	switch f.Type.ID() {
	case arrow.STRING:
		v, ok, err := StringCol(tbl, f.Name)
		return Column{Values: pick(v, idx), Valid: pick(ok, idx)}, err
	case arrow.INT64:
		v, ok, err := Int64Col(tbl, f.Name)
		return Column{Values: pick(v, idx), Valid: pick(ok, idx)}, err
	case arrow.FLOAT64:
		v, ok, err := Float64Col(tbl, f.Name)
		return Column{Values: pick(v, idx), Valid: pick(ok, idx)}, err
	case arrow.BOOL:
		v, ok, err := BoolCol(tbl, f.Name)
		return Column{Values: pick(v, idx), Valid: pick(ok, idx)}, err
	}
	return Column{}, fmt.Errorf("column %q: type %s is not supported", f.Name, f.Type)
}

func pick[T any](v []T, idx []int) []T {
	out := make([]T, len(idx))
	for i, j := range idx {
		out[i] = v[j]
	}
	return out
}
