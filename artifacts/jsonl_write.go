package artifacts

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strconv"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// WriteJSONL writes tbl as JSON lines: one object per row, keys in column
// order, null for a null. Floats are written by FormatFloat; NaN and ±Inf,
// which JSON cannot hold, are written as null.
func WriteJSONL(w io.Writer, tbl arrow.Table) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	s := tbl.Schema()
	keys := make([][]byte, s.NumFields())
	for i, f := range s.Fields() {
		sep := ","
		if i == 0 {
			sep = "{"
		}
		keys[i] = append(appendJSONString([]byte(sep), f.Name), ':')
	}
	var line []byte
	err := eachRow(tbl, func(cols []arrow.Array, i int) error {
		line = line[:0]
		for c, a := range cols {
			line = append(line, keys[c]...)
			line = appendJSONValue(line, a, i)
		}
		if len(cols) == 0 {
			line = append(line, '{')
		}
		line = append(line, '}', '\n')
		_, err := bw.Write(line)
		return err
	})
	if err != nil {
		return fmt.Errorf("write jsonl: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write jsonl: %w", err)
	}
	return nil
}

func appendJSONValue(dst []byte, a arrow.Array, i int) []byte {
	if a.IsNull(i) {
		return append(dst, "null"...)
	}
	switch x := a.(type) {
	case *array.Int64:
		return strconv.AppendInt(dst, x.Value(i), 10)
	case *array.Float64:
		v := x.Value(i)
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return append(dst, "null"...)
		}
		return strconv.AppendFloat(dst, v, 'g', -1, 64)
	case *array.Boolean:
		return strconv.AppendBool(dst, x.Value(i))
	}
	return appendJSONString(dst, textValue(a, i))
}

// appendJSONString appends s as a JSON string, escaping only what JSON
// requires; invalid UTF-8 becomes U+FFFD.
func appendJSONString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				dst = append(dst, '\\', c)
			case c == '\n':
				dst = append(dst, '\\', 'n')
			case c == '\r':
				dst = append(dst, '\\', 'r')
			case c == '\t':
				dst = append(dst, '\\', 't')
			case c < 0x20:
				dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			default:
				dst = append(dst, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, `\ufffd`...)
		} else {
			dst = append(dst, s[i:i+size]...)
		}
		i += size
	}
	return append(dst, '"')
}

// WriteJSONLFile writes tbl to path as JSON lines (see WriteJSONL),
// atomically.
func WriteJSONLFile(path string, tbl arrow.Table) error {
	return WriteAtomicFunc(path, func(w io.Writer) error { return WriteJSONL(w, tbl) })
}
