package artifacts

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// ShowOptions choose what Show prints.
type ShowOptions struct {
	// Rows is the most rows printed (0: none, only the schema).
	Rows int
	// Columns are the columns printed, in this order (nil: all).
	Columns []string
	// Where keeps the rows whose every named column has the given text
	// value ("mode=decode"; "!=" keeps the others).
	Where []string
	// JSON prints the selected rows as JSON lines and nothing else.
	JSON bool
	// Summary prints one line per column (nulls, distinct values, range)
	// over every selected row instead of the rows.
	Summary bool
	// Width is the screen width: rows wider than it are printed one
	// column per line (default 120).
	Width int
}

// filter is one parsed -where condition.
type filter struct {
	col    int
	value  string
	negate bool
}

// Show prints a Parquet artifact for `tr119 show`: the schema, the row
// count and the first rows (a table, or one block per row when the table
// is wider than the screen), or the rows as JSON lines, or a per-column
// summary; columns and rows chosen by opt.
func Show(w io.Writer, path string, opt ShowOptions) error {
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
	fr, err := pqarrow.NewFileReader(rdr, pqarrow.ArrowReadProperties{BatchSize: 64 * 1024}, memory.DefaultAllocator)
	if err != nil {
		return fmt.Errorf("show %s: %w", path, err)
	}
	raw, err := fr.Schema()
	if err != nil {
		return fmt.Errorf("show %s: %w", path, err)
	}
	schema := cleanSchema(raw, rdr)
	cols, filters, err := selection(schema, opt)
	if err != nil {
		return fmt.Errorf("show %s: %w", path, err)
	}
	sel := newSelected(schema, cols)
	// Without a filter or summary only the first rows are read.
	scanAll := len(filters) > 0 || opt.Summary
	if opt.Rows > 0 || scanAll {
		if err := scanRows(fr, rdr.NumRows(), filters, sel, opt.Rows, scanAll); err != nil {
			return fmt.Errorf("show %s: %w", path, err)
		}
	}
	if opt.JSON {
		return sel.writeJSON(w)
	}
	var sb strings.Builder
	shown := schema
	if opt.Columns != nil {
		shown = arrow.NewSchema(sel.fields, func() *arrow.Metadata { m := schema.Metadata(); return &m }())
	}
	writeSchema(&sb, shown, rdr.NumRows())
	if len(filters) > 0 {
		fmt.Fprintf(&sb, "matching: %d rows (%s)\n", sel.matched, strings.Join(opt.Where, ", "))
	}
	switch {
	case opt.Summary:
		sel.writeSummary(&sb)
	case len(sel.rows) > 0:
		fmt.Fprintf(&sb, "\nfirst %d rows:\n", len(sel.rows))
		width := opt.Width
		if width <= 0 {
			width = 120
		}
		if sel.tableWidth() > width {
			sel.writeRecords(&sb)
		} else {
			sel.writeTable(&sb)
		}
	}
	_, err = io.WriteString(w, sb.String())
	return err
}

// selection resolves opt's column names and filters against schema.
func selection(schema *arrow.Schema, opt ShowOptions) ([]int, []filter, error) {
	names := make([]string, schema.NumFields())
	for i, f := range schema.Fields() {
		names[i] = f.Name
	}
	index := func(name string) (int, error) {
		if i := slices.Index(names, name); i >= 0 {
			return i, nil
		}
		return 0, fmt.Errorf("no column %q; the columns are %s", name, strings.Join(names, ", "))
	}
	var cols []int
	if opt.Columns == nil {
		for i := range names {
			cols = append(cols, i)
		}
	}
	for _, n := range opt.Columns {
		i, err := index(strings.TrimSpace(n))
		if err != nil {
			return nil, nil, err
		}
		cols = append(cols, i)
	}
	var filters []filter
	for _, w := range opt.Where {
		name, value, ok := strings.Cut(w, "=")
		if !ok {
			return nil, nil, fmt.Errorf("-where %q: want column=value or column!=value", w)
		}
		name, negate := strings.CutSuffix(name, "!")
		i, err := index(strings.TrimSpace(name))
		if err != nil {
			return nil, nil, fmt.Errorf("-where %q: %w", w, err)
		}
		filters = append(filters, filter{col: i, value: value, negate: negate})
	}
	return cols, filters, nil
}

// cellText is a cell as Show prints it: its text, or "null".
func cellText(a arrow.Array, i int) string {
	if !a.IsValid(i) {
		return "null"
	}
	return textValue(a, i)
}

// scanRows reads the file's records and hands sel the rows that pass every
// filter: at most limit of them kept, all of them counted and summarised
// when scanAll.
func scanRows(fr *pqarrow.FileReader, total int64, filters []filter, sel *selected, limit int, scanAll bool) error {
	if total == 0 {
		return nil
	}
	rr, err := fr.GetRecordReader(context.Background(), nil, nil)
	if err != nil {
		return err
	}
	defer rr.Release()
	for rr.Next() {
		rec := rr.RecordBatch()
		for i := range int(rec.NumRows()) {
			if !passes(rec, i, filters) {
				continue
			}
			sel.add(rec, i, len(sel.rows) < limit)
			if !scanAll && len(sel.rows) >= limit {
				return nil
			}
		}
	}
	return rr.Err()
}

func passes(rec arrow.RecordBatch, i int, filters []filter) bool {
	for _, f := range filters {
		if (cellText(rec.Column(f.col), i) == f.value) == f.negate {
			return false
		}
	}
	return true
}

// selected collects the chosen columns of the rows that passed.
type selected struct {
	cols    []int
	fields  []arrow.Field
	rows    [][]any // JSON-ready values
	text    [][]string
	matched int
	sums    []*colSummary
}

func newSelected(schema *arrow.Schema, cols []int) *selected {
	s := &selected{cols: cols}
	for _, c := range cols {
		s.fields = append(s.fields, schema.Field(c))
		s.sums = append(s.sums, &colSummary{distinct: map[string]int{}, min: math.Inf(1), max: math.Inf(-1)})
	}
	return s
}

// add records row i of rec: counted and summarised, and kept when keep.
func (s *selected) add(rec arrow.RecordBatch, i int, keep bool) {
	s.matched++
	var vals []any
	var texts []string
	for k, c := range s.cols {
		a := rec.Column(c)
		t := cellText(a, i)
		s.sums[k].add(a, i, t)
		if keep {
			vals = append(vals, jsonValue(a, i))
			texts = append(texts, t)
		}
	}
	if keep {
		s.rows = append(s.rows, vals)
		s.text = append(s.text, texts)
	}
}

// jsonValue is a cell as a JSON value: numbers stay numbers, a non-finite
// float becomes its text, null stays null.
func jsonValue(a arrow.Array, i int) any {
	if !a.IsValid(i) {
		return nil
	}
	switch x := a.(type) {
	case *array.Int64:
		return x.Value(i)
	case *array.Float64:
		if v := x.Value(i); !math.IsInf(v, 0) && !math.IsNaN(v) {
			return v
		}
	case *array.Boolean:
		return x.Value(i)
	}
	return textValue(a, i)
}

// writeJSON prints each kept row as one JSON object, columns in order.
func (s *selected) writeJSON(w io.Writer) error {
	var sb strings.Builder
	for _, row := range s.rows {
		sb.WriteByte('{')
		for k, v := range row {
			if k > 0 {
				sb.WriteByte(',')
			}
			name, _ := json.Marshal(s.fields[k].Name)
			val, err := json.Marshal(v)
			if err != nil {
				return err
			}
			sb.Write(name)
			sb.WriteByte(':')
			sb.Write(val)
		}
		sb.WriteString("}\n")
	}
	_, err := io.WriteString(w, sb.String())
	return err
}

// widths returns each column's printed width (header included).
func (s *selected) widths() []int {
	widths := make([]int, len(s.fields))
	for k, f := range s.fields {
		widths[k] = utf8.RuneCountInString(f.Name)
		for _, row := range s.text {
			widths[k] = max(widths[k], utf8.RuneCountInString(clip(row[k])))
		}
	}
	return widths
}

// tableWidth is the width of one printed table line.
func (s *selected) tableWidth() int {
	n := 0
	for _, w := range s.widths() {
		n += w + 2
	}
	return n - 2
}

// writeTable prints the kept rows as aligned columns; numbers right-aligned.
func (s *selected) writeTable(sb *strings.Builder) {
	widths := s.widths()
	line := func(cells []string) {
		var l strings.Builder
		for k, v := range cells {
			if k > 0 {
				l.WriteString("  ")
			}
			v = clip(v)
			pad := strings.Repeat(" ", widths[k]-utf8.RuneCountInString(v))
			if isNumeric(s.fields[k].Type) {
				l.WriteString(pad + v)
			} else {
				l.WriteString(v + pad)
			}
		}
		sb.WriteString(strings.TrimRight(l.String(), " ") + "\n")
	}
	header := make([]string, len(s.fields))
	for k, f := range s.fields {
		header[k] = f.Name
	}
	line(header)
	for _, row := range s.text {
		line(row)
	}
}

// writeRecords prints each kept row as a block of "column  value" lines,
// for tables too wide for one line per row.
func (s *selected) writeRecords(sb *strings.Builder) {
	width := 0
	for _, f := range s.fields {
		width = max(width, utf8.RuneCountInString(f.Name))
	}
	for r, row := range s.text {
		fmt.Fprintf(sb, "-- row %d --\n", r+1)
		for k, v := range row {
			fmt.Fprintf(sb, "  %-*s  %s\n", width, s.fields[k].Name, clip(v))
		}
	}
}

// colSummary accumulates one column's summary.
type colSummary struct {
	ints           bool // an integer column: min and max print as integers
	nulls, numbers int
	distinct       map[string]int
	min, max, sum  float64
}

// maxDistinct bounds the distinct values a summary tracks per column.
const maxDistinct = 1000

func (c *colSummary) add(a arrow.Array, i int, text string) {
	if !a.IsValid(i) {
		c.nulls++
		return
	}
	if len(c.distinct) < maxDistinct || c.distinct[text] > 0 {
		c.distinct[text]++
	}
	var v float64
	switch x := a.(type) {
	case *array.Int64:
		v, c.ints = float64(x.Value(i)), true
	case *array.Float64:
		v = x.Value(i)
	default:
		return
	}
	c.numbers++
	c.min, c.max, c.sum = min(c.min, v), max(c.max, v), c.sum+v
}

// writeSummary prints one line per column: nulls, distinct values, and
// the range and mean of numbers or the most frequent values of others.
func (s *selected) writeSummary(sb *strings.Builder) {
	width := 0
	for _, f := range s.fields {
		width = max(width, utf8.RuneCountInString(f.Name))
	}
	fmt.Fprintf(sb, "\nsummary of %d rows:\n", s.matched)
	for k, f := range s.fields {
		c := s.sums[k]
		distinct := fmt.Sprint(len(c.distinct))
		if len(c.distinct) >= maxDistinct {
			distinct = fmt.Sprintf("%d+", maxDistinct)
		}
		line := fmt.Sprintf("  %-*s  nulls %d  distinct %s", width, f.Name, c.nulls, distinct)
		if c.numbers > 0 {
			lo, hi := FormatFloat(c.min), FormatFloat(c.max)
			if c.ints {
				lo, hi = strconv.FormatFloat(c.min, 'f', 0, 64), strconv.FormatFloat(c.max, 'f', 0, 64)
			}
			line += fmt.Sprintf("  min %s  max %s  mean %s", lo, hi, strconv.FormatFloat(c.sum/float64(c.numbers), 'g', 6, 64))
		} else if len(c.distinct) > 0 {
			line += "  top " + clip(topValues(c.distinct, 3))
		}
		sb.WriteString(line + "\n")
	}
}

// topValues lists the n most frequent values with their counts.
func topValues(counts map[string]int, n int) string {
	vals := make([]string, 0, len(counts))
	for v := range counts {
		vals = append(vals, v)
	}
	slices.SortFunc(vals, func(a, b string) int {
		if counts[a] != counts[b] {
			return counts[b] - counts[a]
		}
		return strings.Compare(a, b)
	})
	var parts []string
	for _, v := range vals[:min(n, len(vals))] {
		parts = append(parts, fmt.Sprintf("%s (%d)", v, counts[v]))
	}
	return strings.Join(parts, ", ")
}
