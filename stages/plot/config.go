package plot

import (
	"fmt"

	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/zclconf/go-cty/cty"

	"github.com/tr119/tr119/engine"
)

func spec() hcldec.Spec {
	art := func(n string, req bool) hcldec.Spec {
		return &hcldec.AttrSpec{Name: n, Type: engine.ArtifactType, Required: req}
	}
	return hcldec.ObjectSpec{
		"cells":       art("cells", true),
		"cell_tiers":  art("cell_tiers", true),
		"summary":     art("summary", false),
		"stats_cells": art("stats_cells", false),
		"tier":        &hcldec.AttrSpec{Name: "tier", Type: cty.String},
	}
}

// config is the decoded stage body.
type config struct {
	Cells, CellTiers    engine.Artifact
	Summary, StatsCells *engine.Artifact
	Tier                string
}

func decode(v cty.Value) (config, error) {
	var c config
	get := func(name string) (*engine.Artifact, error) {
		if !v.Type().HasAttribute(name) || v.GetAttr(name).IsNull() {
			return nil, nil
		}
		a, err := engine.ArtifactFromValue(v.GetAttr(name))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if !a.Available {
			return nil, fmt.Errorf("%s: artifact from %s is unavailable: %s", name, a.Stage, a.Reason)
		}
		return &a, nil
	}
	for _, x := range []struct {
		name string
		dst  **engine.Artifact
	}{{"summary", &c.Summary}, {"stats_cells", &c.StatsCells}} {
		a, err := get(x.name)
		if err != nil {
			return c, err
		}
		*x.dst = a
	}
	for _, x := range []struct {
		name string
		dst  *engine.Artifact
	}{{"cells", &c.Cells}, {"cell_tiers", &c.CellTiers}} {
		a, err := get(x.name)
		if err != nil {
			return c, err
		}
		if a == nil {
			return c, fmt.Errorf("%s: required", x.name)
		}
		*x.dst = *a
	}
	c.Tier = "on_demand"
	if v.Type().HasAttribute("tier") && !v.GetAttr("tier").IsNull() {
		c.Tier = v.GetAttr("tier").AsString()
	}
	return c, nil
}
