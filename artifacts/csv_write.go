package artifacts

import (
	"encoding/csv"
	"fmt"
	"io"

	"github.com/apache/arrow-go/v18/arrow"
)

// WriteCSV writes tbl as CSV with a header row: a null is an empty cell,
// floats are written by FormatFloat (NaN, +Inf, -Inf as Go spells them),
// booleans as true/false. Lines end in "\n". ReadCSV with the same schema
// reads it back, except that a null and an empty string both become the
// column's empty value.
func WriteCSV(w io.Writer, tbl arrow.Table) error {
	cw := csv.NewWriter(w)
	s := tbl.Schema()
	rec := make([]string, s.NumFields())
	for i, f := range s.Fields() {
		rec[i] = f.Name
	}
	if err := cw.Write(rec); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	err := eachRow(tbl, func(cols []arrow.Array, i int) error {
		for c, a := range cols {
			rec[c] = ""
			if a.IsValid(i) {
				rec[c] = textValue(a, i)
			}
		}
		return cw.Write(rec)
	})
	if err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}

// WriteCSVFile writes tbl to path as CSV (see WriteCSV), atomically.
func WriteCSVFile(path string, tbl arrow.Table) error {
	return writeAtomic(path, func(w io.Writer) error { return WriteCSV(w, tbl) })
}
