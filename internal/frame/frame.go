package frame

import (
	"fmt"
	"math"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/tr119/tr119/artifacts"
)

// Frame is a table held as columns. String columns are in Strs; numeric
// columns (float64, int64 and bool as 0/1) are float64 with NaN for null.
type Frame struct {
	// Version is the schema version ("cost_cells/v1"), "" when unset.
	Version string
	// Len is the number of rows.
	Len int
	// Meta is the schema metadata (the version key included).
	Meta map[string]string
	strs map[string][]string
	nums map[string][]float64
	path string
}

// Read loads every string, float64 and int64 column of the Parquet file at
// path. Columns of other types are skipped.
func Read(path string) (*Frame, error) {
	tbl, err := artifacts.ReadParquet(path)
	if err != nil {
		return nil, fmt.Errorf("read table: %w", err)
	}
	return fromTable(path, tbl)
}

// ReadColumns is Read for only the named columns (those present), for
// wide tables such as runs/v2.
func ReadColumns(path string, cols []string) (*Frame, error) {
	tbl, err := artifacts.ReadParquetColumns(path, cols)
	if err != nil {
		return nil, fmt.Errorf("read table: %w", err)
	}
	return fromTable(path, tbl)
}

func fromTable(path string, tbl arrow.Table) (*Frame, error) {
	defer tbl.Release()
	f := &Frame{Version: artifacts.SchemaVersion(tbl.Schema()), Len: int(tbl.NumRows()),
		strs: map[string][]string{}, nums: map[string][]float64{}, path: path, Meta: map[string]string{}}
	md := tbl.Schema().Metadata()
	for i, k := range md.Keys() {
		f.Meta[k] = md.Values()[i]
	}
	for _, fld := range tbl.Schema().Fields() {
		switch fld.Type.ID() {
		case arrow.STRING:
			v, _, err := artifacts.StringCol(tbl, fld.Name)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", path, err)
			}
			f.strs[fld.Name] = v
		case arrow.FLOAT64:
			v, ok, err := artifacts.Float64Col(tbl, fld.Name)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", path, err)
			}
			f.nums[fld.Name] = nullNaN(v, ok)
		case arrow.BOOL:
			v, ok, err := artifacts.BoolCol(tbl, fld.Name)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", path, err)
			}
			x := make([]float64, len(v))
			for i := range v {
				if v[i] {
					x[i] = 1
				}
			}
			f.nums[fld.Name] = nullNaN(x, ok)
		case arrow.INT64:
			v, ok, err := artifacts.Int64Col(tbl, fld.Name)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", path, err)
			}
			x := make([]float64, len(v))
			for i := range v {
				x[i] = float64(v[i])
			}
			f.nums[fld.Name] = nullNaN(x, ok)
		}
	}
	return f, nil
}

func nullNaN(v []float64, ok []bool) []float64 {
	for i := range v {
		if i < len(ok) && !ok[i] {
			v[i] = math.NaN()
		}
	}
	return v
}

// Require checks that the frame has every named column and the wanted
// schema version prefix ("cost_cells/"; "" accepts any), naming the file
// and the column when not.
func (f *Frame) Require(versionPrefix string, cols ...string) error {
	if versionPrefix != "" && (len(f.Version) < len(versionPrefix) || f.Version[:len(versionPrefix)] != versionPrefix) {
		return fmt.Errorf("%s: table is %q, want %s*", f.path, f.Version, versionPrefix)
	}
	for _, c := range cols {
		if _, ok := f.strs[c]; ok {
			continue
		}
		if _, ok := f.nums[c]; ok {
			continue
		}
		return fmt.Errorf("%s: column %q missing", f.path, c)
	}
	return nil
}

// Has reports whether the frame has a column of that name.
func (f *Frame) Has(col string) bool {
	_, s := f.strs[col]
	_, n := f.nums[col]
	return s || n
}

// Str is the string at row i of col ("" when the column is absent).
func (f *Frame) Str(col string, i int) string {
	if v, ok := f.strs[col]; ok && i < len(v) {
		return v[i]
	}
	return ""
}

// Num is the number at row i of col (NaN when null or absent).
func (f *Frame) Num(col string, i int) float64 {
	if v, ok := f.nums[col]; ok && i < len(v) {
		return v[i]
	}
	return math.NaN()
}

// Distinct returns the values of a string column in first-seen order.
func (f *Frame) Distinct(col string) []string {
	seen := map[string]bool{}
	var out []string
	for i := 0; i < f.Len; i++ {
		s := f.Str(col, i)
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// Rows returns the indices of the rows where every (column, value) pair in
// match holds, in table order. match alternates column and value.
func (f *Frame) Rows(match ...string) []int {
	var out []int
	for i := 0; i < f.Len; i++ {
		ok := true
		for j := 0; j+1 < len(match); j += 2 {
			if f.Str(match[j], i) != match[j+1] {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, i)
		}
	}
	return out
}
