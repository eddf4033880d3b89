package artifacts

import (
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// layout maps a text file's columns onto the output table's columns.
type layout struct {
	fields []arrow.Field
	sinks  []*sink // one per output field
	fed    []bool  // per output field: some file column feeds it
	src    []int   // per file column: its output field, or -1 (dropped)
	md     *arrow.Metadata
	// pending counts the rows appended since the last flush; lines are
	// the file lines they came from.
	pending int
	lines   []int
	// check enforces the contract's row rules (nil: none); file names the
	// input in its messages.
	check *rowChecker
	file  string
}

// checkNames rejects empty and duplicate column names.
func checkNames(names []string) error {
	seen := make(map[string]int, len(names))
	for i, n := range names {
		if n == "" {
			return fmt.Errorf("column %d has no name", i+1)
		}
		if j, dup := seen[n]; dup {
			return fmt.Errorf("column %q appears twice (columns %d and %d)", n, j+1, i+1)
		}
		seen[n] = i
	}
	return nil
}

// toInfer reports, per file column, whether its type must be inferred: it
// is kept and the schema does not type it. It rejects extra columns when
// opt says so.
func toInfer(names []string, opt ReadOptions) ([]bool, error) {
	out := make([]bool, len(names))
	for i, n := range names {
		if opt.Schema != nil && opt.Schema.HasField(n) {
			continue
		}
		switch {
		case opt.Schema == nil || opt.Extra == ExtraKeep:
			out[i] = true
		case opt.Extra == ExtraReject:
			return nil, fmt.Errorf("column %q is not in schema %s", n, schemaName(opt.Schema))
		}
	}
	return out, nil
}

// newLayout plans the output columns: the schema's first, then kept
// extras in file order typed by inferred (indexed by file column).
func newLayout(names []string, opt ReadOptions, inferred []arrow.DataType) (*layout, error) {
	l := &layout{src: make([]int, len(names))}
	pos := make(map[string]int, len(names))
	for i, n := range names {
		pos[n] = i
		l.src[i] = -1
	}
	add := func(f arrow.Field, from int) error {
		s, err := newSink(f, opt.AllowNonFinite)
		if err != nil {
			return err
		}
		if from >= 0 {
			l.src[from] = len(l.fields)
		}
		l.fields = append(l.fields, f)
		l.sinks = append(l.sinks, s)
		l.fed = append(l.fed, from >= 0)
		return nil
	}
	if opt.Schema != nil {
		var missing []string
		for _, f := range opt.Schema.Fields() {
			i, ok := pos[f.Name]
			if !ok && !f.Nullable {
				missing = append(missing, fmt.Sprintf("%q", f.Name))
				continue
			}
			if !ok {
				i = -1
			}
			if err := add(arrow.Field{Name: f.Name, Type: f.Type, Nullable: f.Nullable}, i); err != nil {
				return nil, err
			}
		}
		if len(missing) > 0 {
			l.release()
			return nil, missingColumnsErr(missing, opt.Schema)
		}
		md := opt.Schema.Metadata()
		l.md = &md
	}
	for i, n := range names {
		if inferred[i] == nil || l.src[i] >= 0 {
			continue
		}
		if err := add(arrow.Field{Name: n, Type: inferred[i], Nullable: true}, i); err != nil {
			l.release()
			return nil, err
		}
	}
	return l, nil
}

// checkRows makes flush enforce the output schema's row rules, naming
// file in messages.
func (l *layout) checkRows(file string) {
	l.check, l.file = newRowChecker(l.schema()), file
}

// schema is the output table's schema.
func (l *layout) schema() *arrow.Schema { return arrow.NewSchema(l.fields, l.md) }

// endRow counts a finished row and hands a batch to out every
// parquetRowGroupRows rows, so memory holds one batch, not the file.
func (l *layout) endRow(out batchSink, line int) error {
	l.pending++
	l.lines = append(l.lines, line)
	if l.pending < parquetRowGroupRows {
		return nil
	}
	return l.flush(out)
}

// flush hands the pending rows, if any, to out as one record batch,
// filling unfed columns with nulls.
func (l *layout) flush(out batchSink) error {
	if l.pending == 0 {
		return nil
	}
	arrs := make([]arrow.Array, len(l.sinks))
	for i, s := range l.sinks {
		if !l.fed[i] {
			s.b.AppendNulls(l.pending)
		}
		arrs[i] = s.b.NewArray()
		defer arrs[i].Release()
	}
	rec := array.NewRecordBatch(l.schema(), arrs, int64(l.pending))
	defer rec.Release()
	l.pending = 0
	lines := l.lines
	l.lines = l.lines[:0]
	if err := l.check.batch(rec, rowPos{file: l.file, lines: lines}); err != nil {
		return err
	}
	return out.batch(rec)
}

func (l *layout) release() {
	for _, s := range l.sinks {
		s.b.Release()
	}
}

// schemaName names a schema in messages: its version, or "(unnamed)".
func schemaName(s *arrow.Schema) string {
	if v := SchemaVersion(s); v != "" {
		return v
	}
	return "(unnamed)"
}

// missingColumnsErr names the required columns of s a file lacks
// (already quoted).
func missingColumnsErr(missing []string, s *arrow.Schema) error {
	word := "column"
	if len(missing) > 1 {
		word = "columns"
	}
	return fmt.Errorf("required %s %s of schema %s missing", word, strings.Join(missing, ", "), schemaName(s))
}
