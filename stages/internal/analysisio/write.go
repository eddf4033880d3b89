package analysisio

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"path/filepath"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/tr119/tr119/artifacts"
	"github.com/tr119/tr119/engine"
)

// Table is an output table: its schema and rows, one value per column
// (string, int64, float64 or nil for null).
type Table struct {
	Schema *arrow.Schema
	Rows   [][]any
}

// Add appends a row.
func (t *Table) Add(values ...any) { t.Rows = append(t.Rows, values) }

// Opt is a nullable float: NaN and infinities become null.
func Opt(v float64) any {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return v
}

// WriteParquet writes t to dir/file with the pinned Parquet settings.
func (t *Table) WriteParquet(dir, file string) error {
	b := artifacts.NewBuilder(t.Schema)
	defer b.Release()
	for i, r := range t.Rows {
		if err := b.Append(r...); err != nil {
			return fmt.Errorf("%s row %d: %w", file, i+1, err)
		}
	}
	tbl := b.Table()
	defer tbl.Release()
	return artifacts.WriteParquet(filepath.Join(dir, file), tbl)
}

// Objects returns the rows as JSON objects keyed by column name.
func (t *Table) Objects() []map[string]any {
	out := make([]map[string]any, len(t.Rows))
	for i, r := range t.Rows {
		m := make(map[string]any, len(r))
		for j, f := range t.Schema.Fields() {
			m[f.Name] = r[j]
		}
		out[i] = m
	}
	return out
}

// WriteJSON writes v as indented JSON to dir/file atomically. encoding/json
// sorts map keys and formats floats one way, so equal values give equal
// bytes; NaN must already be nil (use Opt).
func WriteJSON(dir, file string, v any) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("encode %s: %w", file, err)
	}
	return artifacts.WriteFileAtomic(filepath.Join(dir, file), b.Bytes(), 0o644)
}

// Output is one output of an analysis kind: its name, the file it is
// written to, and what it holds.
type Output struct{ Name, File, Doc string }

// OutputInfos documents outputs for KindInfo: the "json" output is JSON,
// every other one a Parquet table.
func OutputInfos(outs []Output) []engine.OutputInfo {
	infos := make([]engine.OutputInfo, 0, len(outs))
	for _, o := range outs {
		mt := artifacts.ParquetMediaType
		if o.Name == "json" {
			mt = "application/json"
		}
		infos = append(infos, engine.OutputInfo{Name: o.Name, MediaType: mt, Doc: o.Doc})
	}
	return infos
}
