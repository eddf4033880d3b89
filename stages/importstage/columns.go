package importstage

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"

	"github.com/zclconf/go-cty/cty"

	"github.com/tr119/tr119/artifacts"
)

// jsonlProbe is how many JSON lines Columns reads for their keys.
const jsonlProbe = 1000

// Columns returns the column names an import stage's table will have, as
// far as they can be told before it runs: the schema's columns and, unless
// extra_columns = "drop", the file's header (CSV), keys (the first JSON
// lines) or schema (Parquet). ok is false when the config or the file
// cannot say (a value known only after apply, a missing file): the import
// itself then reports the problem.
func Columns(config cty.Value, workspace string) (cols []string, ok bool) {
	if !config.IsWhollyKnown() {
		return nil, false
	}
	c, err := parseConfig(config)
	if err != nil {
		return nil, false
	}
	seen := map[string]bool{}
	add := func(names ...string) {
		for _, n := range names {
			if !seen[n] {
				seen[n] = true
				cols = append(cols, n)
			}
		}
	}
	if c.read.Schema != nil {
		for _, f := range c.read.Schema.Fields() {
			add(f.Name)
		}
		if c.read.Extra != artifacts.ExtraKeep {
			return cols, true
		}
	}
	path := c.path
	if !filepath.IsAbs(path) {
		path = filepath.Join(workspace, path)
	}
	file, err := fileColumns(path, c.format)
	if err != nil {
		return nil, false
	}
	add(file...)
	return cols, true
}

func fileColumns(path string, format artifacts.Format) ([]string, error) {
	switch format {
	case "parquet":
		s, _, err := artifacts.ReadParquetSchema(path)
		if err != nil {
			return nil, err
		}
		var out []string
		for _, f := range s.Fields() {
			out = append(out, f.Name)
		}
		return out, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if format == "csv" {
		return csv.NewReader(bufio.NewReader(f)).Read()
	}
	keys := map[string]bool{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	for i := 0; i < jsonlProbe && sc.Scan(); i++ {
		var row map[string]json.RawMessage
		if json.Unmarshal(sc.Bytes(), &row) != nil {
			continue
		}
		for k := range row {
			keys[k] = true
		}
	}
	out := make([]string, 0, len(keys))
	for k := range keys {
		out = append(out, k)
	}
	sort.Strings(out)
	return out, sc.Err()
}
