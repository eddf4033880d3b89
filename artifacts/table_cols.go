package artifacts

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// ColumnIndex returns the index of the column called name in s, or an
// error naming the column when there is none.
func ColumnIndex(s *arrow.Schema, name string) (int, error) {
	idx := s.FieldIndices(name)
	switch len(idx) {
	case 0:
		return -1, fmt.Errorf("column %q missing", name)
	case 1:
		return idx[0], nil
	default:
		return -1, fmt.Errorf("column %q appears %d times", name, len(idx))
	}
}

// column returns the chunks of the column called name after checking its
// type, with an error naming the column otherwise.
func column(tbl arrow.Table, name string, want arrow.DataType) (*arrow.Chunked, error) {
	i, err := ColumnIndex(tbl.Schema(), name)
	if err != nil {
		return nil, err
	}
	got := tbl.Schema().Field(i).Type
	if !arrow.TypeEqual(got, want) {
		return nil, fmt.Errorf("column %q is %s, want %s", name, got, want)
	}
	return tbl.Column(i).Data(), nil
}

// Float64Col returns the values of the float64 column called name over
// all chunks, and whether each is valid (not null). A null's value is 0.
func Float64Col(tbl arrow.Table, name string) ([]float64, []bool, error) {
	ch, err := column(tbl, name, arrow.PrimitiveTypes.Float64)
	if err != nil {
		return nil, nil, err
	}
	vals := make([]float64, 0, ch.Len())
	valid := make([]bool, 0, ch.Len())
	for _, c := range ch.Chunks() {
		a := c.(*array.Float64)
		for j := 0; j < a.Len(); j++ {
			ok := a.IsValid(j)
			v := 0.0
			if ok {
				v = a.Value(j)
			}
			vals = append(vals, v)
			valid = append(valid, ok)
		}
	}
	return vals, valid, nil
}

// Int64Col returns the values of the int64 column called name over all
// chunks, and whether each is valid (not null). A null's value is 0.
func Int64Col(tbl arrow.Table, name string) ([]int64, []bool, error) {
	ch, err := column(tbl, name, arrow.PrimitiveTypes.Int64)
	if err != nil {
		return nil, nil, err
	}
	vals := make([]int64, 0, ch.Len())
	valid := make([]bool, 0, ch.Len())
	for _, c := range ch.Chunks() {
		a := c.(*array.Int64)
		for j := 0; j < a.Len(); j++ {
			ok := a.IsValid(j)
			var v int64
			if ok {
				v = a.Value(j)
			}
			vals = append(vals, v)
			valid = append(valid, ok)
		}
	}
	return vals, valid, nil
}

// StringCol returns the values of the string column called name over all
// chunks, and whether each is valid (not null). A null's value is "".
func StringCol(tbl arrow.Table, name string) ([]string, []bool, error) {
	ch, err := column(tbl, name, arrow.BinaryTypes.String)
	if err != nil {
		return nil, nil, err
	}
	vals := make([]string, 0, ch.Len())
	valid := make([]bool, 0, ch.Len())
	for _, c := range ch.Chunks() {
		a := c.(*array.String)
		for j := 0; j < a.Len(); j++ {
			ok := a.IsValid(j)
			v := ""
			if ok {
				v = a.Value(j)
			}
			vals = append(vals, v)
			valid = append(valid, ok)
		}
	}
	return vals, valid, nil
}

// BoolCol returns the values of the boolean column called name over all
// chunks, and whether each is valid (not null). A null's value is false.
func BoolCol(tbl arrow.Table, name string) ([]bool, []bool, error) {
	ch, err := column(tbl, name, arrow.FixedWidthTypes.Boolean)
	if err != nil {
		return nil, nil, err
	}
	vals := make([]bool, 0, ch.Len())
	valid := make([]bool, 0, ch.Len())
	for _, c := range ch.Chunks() {
		a := c.(*array.Boolean)
		for j := 0; j < a.Len(); j++ {
			ok := a.IsValid(j)
			vals = append(vals, ok && a.Value(j))
			valid = append(valid, ok)
		}
	}
	return vals, valid, nil
}
