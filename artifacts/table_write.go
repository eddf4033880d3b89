package artifacts

import (
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// cellWriter appends one column's value at row i to dst in a text format.
type cellWriter func(dst []byte, i int) []byte

// FormatFloat is the one float formatting of every text output: the
// shortest string that reads back as the same float64, so exports are
// exact and deterministic.
func FormatFloat(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// eachRow calls fn for every row of tbl with that row's record columns and
// index in them, so writers walk rows without copying.
func eachRow(tbl arrow.Table, fn func(cols []arrow.Array, i int) error) error {
	tr := array.NewTableReader(tbl, 64*1024)
	defer tr.Release()
	for tr.Next() {
		rec := tr.RecordBatch()
		cols := rec.Columns()
		for i := 0; i < int(rec.NumRows()); i++ {
			if err := fn(cols, i); err != nil {
				return err
			}
		}
	}
	return tr.Err()
}

// textValue returns a non-null cell's plain text: integers in decimal,
// floats per FormatFloat, booleans as true/false, strings as they are, and
// other types as Arrow prints them.
func textValue(a arrow.Array, i int) string {
	switch x := a.(type) {
	case *array.String:
		return x.Value(i)
	case *array.Int64:
		return strconv.FormatInt(x.Value(i), 10)
	case *array.Float64:
		return FormatFloat(x.Value(i))
	case *array.Boolean:
		return strconv.FormatBool(x.Value(i))
	}
	return a.ValueStr(i)
}
