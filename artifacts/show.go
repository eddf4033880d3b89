package artifacts

import (
	"fmt"
	"io"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
)

// showCellWidth caps a cell's width in ShowTable so one long string does
// not push every other column off the screen.
const showCellWidth = 40

// ShowTable prints a Parquet artifact's schema (with its contract
// version), its row count and its first maxRows rows as an aligned text
// table, for `tr119 show PATH`. Only the first rows are read.
func ShowTable(w io.Writer, path string, maxRows int) error {
	return Show(w, path, ShowOptions{Rows: maxRows, Width: math.MaxInt})
}

func writeSchema(sb *strings.Builder, s *arrow.Schema, rows int64) {
	version := SchemaVersion(s)
	if version == "" {
		version = "(none)"
	}
	fmt.Fprintf(sb, "schema:  %s\nrows:    %d\ncolumns: %d\n", version, rows, s.NumFields())
	md := s.Metadata()
	for i, k := range md.Keys() {
		if k != SchemaKey {
			fmt.Fprintf(sb, "meta:    %s = %s\n", k, md.Values()[i])
		}
	}
	width := 0
	for _, f := range s.Fields() {
		width = max(width, utf8.RuneCountInString(f.Name))
	}
	for _, f := range s.Fields() {
		null := ""
		if f.Nullable {
			null = " (nullable)"
		}
		fmt.Fprintf(sb, "  %-*s  %s%s\n", width, f.Name, f.Type, null)
	}
}

func isNumeric(t arrow.DataType) bool {
	return arrow.IsInteger(t.ID()) || arrow.IsFloating(t.ID())
}

// clip shortens s to showCellWidth runes, ending in "…", and shows line
// breaks as spaces so each row stays one line.
func clip(s string) string {
	s = strings.NewReplacer("\n", " ", "\r", " ", "\t", " ").Replace(s)
	if utf8.RuneCountInString(s) <= showCellWidth {
		return s
	}
	r := []rune(s)
	return string(r[:showCellWidth-1]) + "…"
}
