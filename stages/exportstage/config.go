package exportstage

import (
	"fmt"

	"github.com/zclconf/go-cty/cty"

	"github.com/tr119/tr119/artifacts"
	"github.com/tr119/tr119/engine"
)

// config is an export stage's evaluated attributes.
type config struct {
	table   engine.Artifact
	formats []string // csv, jsonl; no duplicates
	columns []string // nil: every column
	sortBy  []artifacts.SortKey
}

func parseConfig(v cty.Value) (config, error) {
	var c config
	var err error
	if c.table, err = engine.ArtifactFromValue(v.GetAttr("table")); err != nil {
		return c, fmt.Errorf("table: %w", err)
	}
	formats, err := stringList(v, "formats")
	if err != nil {
		return c, err
	}
	if formats == nil {
		formats = []string{"csv", "jsonl"}
	}
	if len(formats) == 0 {
		return c, fmt.Errorf("formats: name at least one of csv, jsonl")
	}
	seen := map[string]bool{}
	for _, f := range formats {
		if _, _, ok := writerFor(f); !ok {
			return c, fmt.Errorf("formats: %q is not one of csv, jsonl", f)
		}
		if seen[f] {
			return c, fmt.Errorf("formats: %q appears twice", f)
		}
		seen[f] = true
	}
	c.formats = formats
	if c.columns, err = stringList(v, "columns"); err != nil {
		return c, err
	}
	if c.columns != nil && len(c.columns) == 0 {
		return c, fmt.Errorf("columns: name at least one column, or leave columns out for all")
	}
	keys, err := stringList(v, "sort_by")
	if err != nil {
		return c, err
	}
	for _, k := range keys {
		c.sortBy = append(c.sortBy, artifacts.ParseSortKey(k))
	}
	return c, nil
}

// stringList returns a list-of-string attribute, nil when null.
func stringList(v cty.Value, name string) ([]string, error) {
	a := v.GetAttr(name)
	if a.IsNull() {
		return nil, nil
	}
	if !a.IsWhollyKnown() {
		return nil, fmt.Errorf("%s: value is not known", name)
	}
	out := []string{}
	for it := a.ElementIterator(); it.Next(); {
		_, e := it.Element()
		if e.IsNull() {
			return nil, fmt.Errorf("%s: null element", name)
		}
		out = append(out, e.AsString())
	}
	return out, nil
}
