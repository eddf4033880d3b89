package exportstage

import (
	"github.com/zclconf/go-cty/cty"

	"github.com/tr119/tr119/artifacts"
	"github.com/tr119/tr119/engine"
	"github.com/tr119/tr119/schema"
)

// bodySchema is an export stage's body.
func bodySchema() *schema.Body {
	strs := func(s ...string) cty.Value {
		vals := make([]cty.Value, len(s))
		for i, x := range s {
			vals[i] = cty.StringVal(x)
		}
		return cty.ListVal(vals)
	}
	return &schema.Body{Attrs: []*schema.Attr{
		engine.ArtifactAttr("table", true, "The table to export (a Parquet stage output)."),
		{Name: "formats", Type: cty.List(cty.String), Default: strs("csv", "jsonl"), OneOf: []string{"csv", "jsonl"},
			MinItems: 1, Unique: true, Doc: "The files to write."},
		{Name: "columns", Type: cty.List(cty.String), MinItems: 1, Unique: true,
			Doc: "The columns to keep, in this order; by default every column."},
		{Name: "sort_by", Type: cty.List(cty.String),
			Doc: "Columns to sort rows by, stably (\"-col\" for descending; nulls last)."},
	}}
}

// body is the decoded stage body.
type body struct {
	Table   engine.Artifact `cty:"table"`
	Formats []string        `cty:"formats"`
	Columns []string        `cty:"columns"`
	SortBy  []string        `cty:"sort_by"`
}

// config is an export stage's evaluated attributes.
type config struct {
	table   engine.Artifact
	formats []string // csv, jsonl; no duplicates
	columns []string // nil: every column
	sortBy  []artifacts.SortKey
}

func parseConfig(v cty.Value) (config, error) {
	var b body
	if err := bodySchema().ValidateDecode(v, &b); err != nil {
		return config{}, err
	}
	c := config{table: b.Table, formats: b.Formats, columns: b.Columns}
	for _, k := range b.SortBy {
		c.sortBy = append(c.sortBy, artifacts.ParseSortKey(k))
	}
	return c, nil
}
