package artifacts

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
)

// Format is a table file format.
type Format string

// Table file formats import reads and export writes.
const (
	FormatCSV     Format = "csv"
	FormatJSONL   Format = "jsonl"
	FormatParquet Format = "parquet"
)

// FormatFromPath guesses a file's format from its extension (.csv,
// .jsonl/.ndjson, .parquet/.pq).
func FormatFromPath(path string) (Format, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv":
		return FormatCSV, nil
	case ".jsonl", ".ndjson":
		return FormatJSONL, nil
	case ".parquet", ".pq":
		return FormatParquet, nil
	}
	return "", fmt.Errorf("%s: cannot tell the format from the extension %q (want .csv, .jsonl or .parquet, or set the format)", filepath.Base(path), filepath.Ext(path))
}

// ExtraColumns says what a reader does with file columns the target
// schema lacks.
type ExtraColumns int

const (
	// ExtraKeep keeps them after the schema's columns, with inferred types.
	ExtraKeep ExtraColumns = iota
	// ExtraDrop leaves them out.
	ExtraDrop
	// ExtraReject fails the read, naming the first one.
	ExtraReject
)

// ParseExtraColumns parses "keep", "drop" or "reject".
func ParseExtraColumns(s string) (ExtraColumns, error) {
	switch s {
	case "keep", "":
		return ExtraKeep, nil
	case "drop":
		return ExtraDrop, nil
	case "reject":
		return ExtraReject, nil
	}
	return 0, fmt.Errorf("extra columns %q: want keep, drop or reject", s)
}

// ReadOptions control how a table file becomes an Arrow table.
type ReadOptions struct {
	// Schema is the target schema. Its columns come first, in its order,
	// typed as it says; a non-nullable column the file lacks is an error,
	// a nullable one is filled with nulls. The output carries its
	// metadata. Nil: every column's type is inferred (int64, float64,
	// bool or string, in that order of preference), all nullable.
	Schema *arrow.Schema
	// Extra says what happens to file columns the schema lacks.
	Extra ExtraColumns
	// AllowNonFinite accepts NaN and ±Inf in float columns; by default
	// they are errors (leave a cell empty, or null, for a missing value).
	AllowNonFinite bool
}

// ReadTableFile reads a CSV, JSON-lines or Parquet file into a table per
// opt. The caller releases the table.
func ReadTableFile(path string, format Format, opt ReadOptions) (arrow.Table, error) {
	switch format {
	case FormatCSV:
		return ReadCSV(path, opt)
	case FormatJSONL:
		return ReadJSONL(path, opt)
	case FormatParquet:
		tbl, err := ReadParquet(path)
		if err != nil {
			return nil, err
		}
		defer tbl.Release()
		out, err := ConformTable(tbl, opt)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", filepath.Base(path), err)
		}
		return out, nil
	}
	return nil, fmt.Errorf("format %q: want csv, jsonl or parquet", format)
}
