package artifacts

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// showCellWidth caps a cell's width in ShowTable so one long string does
// not push every other column off the screen.
const showCellWidth = 40

// ShowTable prints a Parquet artifact's schema (with its contract
// version), its row count and its first maxRows rows as an aligned text
// table, for `tr119 show PATH`. Only the first rows are read.
func ShowTable(w io.Writer, path string, maxRows int) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("show: %w", err)
	}
	defer f.Close()
	rdr, err := file.NewParquetReader(f)
	if err != nil {
		return fmt.Errorf("show %s: %w", path, err)
	}
	defer rdr.Close()
	fr, err := pqarrow.NewFileReader(rdr, pqarrow.ArrowReadProperties{BatchSize: int64(max(maxRows, 1))}, memory.DefaultAllocator)
	if err != nil {
		return fmt.Errorf("show %s: %w", path, err)
	}
	raw, err := fr.Schema()
	if err != nil {
		return fmt.Errorf("show %s: %w", path, err)
	}
	schema := cleanSchema(raw, rdr)
	var sb strings.Builder
	writeSchema(&sb, schema, rdr.NumRows())
	if maxRows > 0 && rdr.NumRows() > 0 {
		rr, err := fr.GetRecordReader(context.Background(), nil, nil)
		if err != nil {
			return fmt.Errorf("show %s: %w", path, err)
		}
		defer rr.Release()
		if !rr.Next() {
			if err := rr.Err(); err != nil {
				return fmt.Errorf("show %s: %w", path, err)
			}
		} else {
			rec := rr.RecordBatch()
			n := min(int(rec.NumRows()), maxRows)
			fmt.Fprintf(&sb, "\nfirst %d rows:\n", n)
			writeRows(&sb, schema, rec.Columns(), n)
		}
	}
	_, err = io.WriteString(w, sb.String())
	return err
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

// writeRows prints the first n rows of cols as aligned columns, nulls as
// "null"; numbers are right-aligned.
func writeRows(sb *strings.Builder, s *arrow.Schema, cols []arrow.Array, n int) {
	cells := make([][]string, len(cols))
	widths := make([]int, len(cols))
	for c, a := range cols {
		cells[c] = make([]string, n+1)
		cells[c][0] = s.Field(c).Name
		for i := 0; i < n; i++ {
			v := "null"
			if a.IsValid(i) {
				v = clip(textValue(a, i))
			}
			cells[c][i+1] = v
		}
		for _, v := range cells[c] {
			widths[c] = max(widths[c], utf8.RuneCountInString(v))
		}
	}
	for i := 0; i <= n; i++ {
		var line strings.Builder
		for c, a := range cols {
			if c > 0 {
				line.WriteString("  ")
			}
			v := cells[c][i]
			pad := strings.Repeat(" ", widths[c]-utf8.RuneCountInString(v))
			if isNumeric(a.DataType()) {
				line.WriteString(pad + v)
			} else {
				line.WriteString(v + pad)
			}
		}
		sb.WriteString(strings.TrimRight(line.String(), " ") + "\n")
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
