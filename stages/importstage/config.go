package importstage

import (
	"fmt"
	"strings"

	"github.com/zclconf/go-cty/cty"

	"github.com/tr119/tr119/artifacts"
)

// config is an import stage's evaluated attributes.
type config struct {
	path   string
	format artifacts.Format
	read   artifacts.ReadOptions
}

func parseConfig(v cty.Value) (config, error) {
	var c config
	var err error
	if c.path, err = str(v, "path"); err != nil {
		return c, err
	}
	if c.path == "" {
		return c, fmt.Errorf("path: must not be empty")
	}
	format, err := str(v, "format")
	if err != nil {
		return c, err
	}
	switch format {
	case "":
		if c.format, err = artifacts.FormatFromPath(c.path); err != nil {
			return c, err
		}
	case "csv", "jsonl", "parquet":
		c.format = artifacts.Format(format)
	default:
		return c, fmt.Errorf("format: %q is not one of csv, jsonl, parquet", format)
	}
	version, err := str(v, "schema")
	if err != nil {
		return c, err
	}
	if version != "" {
		s, ok := artifacts.LookupSchema(version)
		if !ok {
			return c, fmt.Errorf("schema: %q is not a known table contract (known: %s)", version, strings.Join(artifacts.SchemaVersions(), ", "))
		}
		c.read.Schema = s
	}
	extra, err := str(v, "extra_columns")
	if err != nil {
		return c, err
	}
	if c.read.Extra, err = artifacts.ParseExtraColumns(extra); err != nil {
		return c, err
	}
	if b := v.GetAttr("allow_non_finite"); !b.IsNull() {
		c.read.AllowNonFinite = b.True()
	}
	return c, nil
}

// str returns a string attribute of an evaluated body, "" when null.
func str(v cty.Value, name string) (string, error) {
	if v.IsNull() || !v.Type().IsObjectType() || !v.Type().HasAttribute(name) {
		return "", fmt.Errorf("%s: attribute missing from the stage config", name)
	}
	a := v.GetAttr(name)
	if a.IsNull() {
		return "", nil
	}
	if !a.IsKnown() || a.Type() != cty.String {
		return "", fmt.Errorf("%s: want a known string", name)
	}
	return a.AsString(), nil
}
