package artifacts

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
)

// WriteCSV writes tbl as CSV with a header row: a null is an empty cell,
// floats are written by FormatFloat (NaN, +Inf, -Inf as Go spells them),
// booleans as true/false. Lines end in "\n". ReadCSV with the same schema
// reads it back, except that a null and an empty string both become the
// column's empty value.
func WriteCSV(w io.Writer, tbl arrow.Table) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	s := tbl.Schema()
	single := s.NumFields() == 1
	var line []byte
	for i, f := range s.Fields() {
		if i > 0 {
			line = append(line, ',')
		}
		line = appendCSVField(line, f.Name, single)
	}
	line = append(line, '\n')
	if _, err := bw.Write(line); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	err := eachRow(tbl, func(cols []arrow.Array, i int) error {
		line = line[:0]
		for c, a := range cols {
			if c > 0 {
				line = append(line, ',')
			}
			if a.IsValid(i) {
				line = appendCSVField(line, textValue(a, i), single)
			} else if single {
				line = append(line, `""`...)
			}
		}
		line = append(line, '\n')
		_, err := bw.Write(line)
		return err
	})
	if err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}

// appendCSVField appends one field, quoted when it holds a comma, quote,
// line break or leading space (as encoding/csv does), or when it is the
// empty only field of a record: a blank line would be skipped by readers.
func appendCSVField(dst []byte, v string, single bool) []byte {
	if !(v == "" && single) && !(v != "" && (strings.ContainsAny(v, ",\"\r\n") || v[0] == ' ' || v[0] == '\t')) {
		return append(dst, v...)
	}
	dst = append(dst, '"')
	for i := 0; i < len(v); i++ {
		if v[i] == '"' {
			dst = append(dst, '"')
		}
		dst = append(dst, v[i])
	}
	return append(dst, '"')
}

// WriteCSVFile writes tbl to path as CSV (see WriteCSV), atomically.
func WriteCSVFile(path string, tbl arrow.Table) error {
	return WriteAtomicFunc(path, func(w io.Writer) error { return WriteCSV(w, tbl) })
}
