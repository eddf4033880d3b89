package importstage

import (
	"errors"
	"fmt"

	"github.com/zclconf/go-cty/cty"

	"github.com/tr119/tr119/artifacts"
	"github.com/tr119/tr119/schema"
)

// bodySchema is an import stage's body.
func bodySchema() *schema.Body {
	return &schema.Body{Attrs: []*schema.Attr{
		{Name: "path", Type: cty.String, Required: true, Check: notEmpty,
			Doc: "The table file, relative to the workspace; its content is part of the stage's key."},
		{Name: "format", Type: cty.String, OneOf: []string{"csv", "jsonl", "parquet"},
			Doc: "The file's format; by default the file name's extension says."},
		{Name: "schema", Type: cty.String, OneOf: artifacts.SchemaVersions(),
			Doc: "A table contract to read the file against (typed, required columns); by default types are inferred."},
		{Name: "extra_columns", Type: cty.String, Default: cty.StringVal("keep"), OneOf: []string{"keep", "drop", "reject"},
			Doc: "What happens to columns the schema lacks."},
		{Name: "allow_non_finite", Type: cty.Bool, Default: cty.False,
			Doc: "Accept NaN and Inf values instead of failing."},
	}, Rules: []schema.Rule{{Doc: "Without format, the path's extension names one (.csv, .jsonl, .parquet).", Check: formatRule}}}
}

// formatRule checks that the format can be told from the path when it is
// not given.
func formatRule(v cty.Value) []*schema.PathError {
	p, ok := schema.Known(v, "path")
	if f := v.GetAttr("format"); !ok || !f.IsKnown() || !f.IsNull() {
		return nil
	}
	if _, err := artifacts.FormatFromPath(p.AsString()); err != nil {
		return []*schema.PathError{schema.Errorf(cty.GetAttrPath("path"), "Unknown file format", "%s", err.Error())}
	}
	return nil
}

func notEmpty(v cty.Value) error {
	if v.AsString() == "" {
		return errors.New("path must not be empty: name the table file")
	}
	return nil
}

// body is the decoded stage body.
type body struct {
	Path           string  `cty:"path"`
	Format         *string `cty:"format"`
	Schema         *string `cty:"schema"`
	ExtraColumns   string  `cty:"extra_columns"`
	AllowNonFinite bool    `cty:"allow_non_finite"`
}

// config is an import stage's evaluated attributes.
type config struct {
	path   string
	format artifacts.Format
	read   artifacts.ReadOptions
}

func parseConfig(v cty.Value) (config, error) {
	var b body
	if err := bodySchema().ValidateDecode(v, &b); err != nil {
		return config{}, err
	}
	c := config{path: b.Path}
	var err error
	if b.Format == nil {
		if c.format, err = artifacts.FormatFromPath(c.path); err != nil {
			return c, err
		}
	} else {
		c.format = artifacts.Format(*b.Format)
	}
	if b.Schema != nil {
		s, ok := artifacts.LookupSchema(*b.Schema)
		if !ok {
			return c, fmt.Errorf("schema: %q is not a known table contract", *b.Schema)
		}
		c.read.Schema = s
	}
	if c.read.Extra, err = artifacts.ParseExtraColumns(b.ExtraColumns); err != nil {
		return c, err
	}
	c.read.AllowNonFinite = b.AllowNonFinite
	return c, nil
}
