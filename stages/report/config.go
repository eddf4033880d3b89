package report

import (
	"fmt"

	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/zclconf/go-cty/cty"

	"github.com/tr119/tr119/engine"
)

// Artifact attributes: single artifacts, then lists.
var (
	singleAttrs = []string{"cells", "cell_tiers", "summary", "winners", "requests", "tco", "savings", "cost_json",
		"stats_cells", "stats_groups", "stats_tests", "stats_pairwise", "stats_cell_pairwise", "figures"}
	listAttrs = []string{"runs", "environments", "validation", "validation_json"}
	required  = map[string]bool{"cells": true, "cell_tiers": true, "summary": true}
)

func spec() hcldec.Spec {
	s := hcldec.ObjectSpec{
		"title": &hcldec.AttrSpec{Name: "title", Type: cty.String},
		"tier":  &hcldec.AttrSpec{Name: "tier", Type: cty.String},
	}
	for _, n := range singleAttrs {
		s[n] = &hcldec.AttrSpec{Name: n, Type: engine.ArtifactType, Required: required[n]}
	}
	for _, n := range listAttrs {
		s[n] = &hcldec.AttrSpec{Name: n, Type: cty.List(engine.ArtifactType)}
	}
	return s
}

// config is the decoded stage body. Arts holds the available single
// artifacts by attribute name; Lists the available list members;
// Unavailable says why an input given was unavailable.
type config struct {
	Title, Tier string
	Arts        map[string]engine.Artifact
	Lists       map[string][]engine.Artifact
	Unavailable []string
}

func attr(v cty.Value, name string) cty.Value {
	if v.IsNull() || !v.Type().IsObjectType() || !v.Type().HasAttribute(name) {
		return cty.NullVal(cty.DynamicPseudoType)
	}
	return v.GetAttr(name)
}

func decode(v cty.Value) (config, error) {
	c := config{Title: "Cost and energy per token", // Tier "": the cost stage's headline tier
		Arts: map[string]engine.Artifact{}, Lists: map[string][]engine.Artifact{}}
	if x := attr(v, "title"); !x.IsNull() {
		c.Title = x.AsString()
	}
	if x := attr(v, "tier"); !x.IsNull() {
		c.Tier = x.AsString()
	}
	take := func(name string, x cty.Value) (bool, error) {
		a, err := engine.ArtifactFromValue(x)
		if err != nil {
			return false, fmt.Errorf("%s: %w", name, err)
		}
		if !a.Available {
			if required[name] {
				return false, fmt.Errorf("%s: artifact from %s is unavailable: %s", name, a.Stage, a.Reason)
			}
			c.Unavailable = append(c.Unavailable, fmt.Sprintf("%s (%s): %s", name, a.Stage, a.Reason))
			return false, nil
		}
		if isList(name) {
			c.Lists[name] = append(c.Lists[name], a)
		} else {
			c.Arts[name] = a
		}
		return true, nil
	}
	for _, n := range singleAttrs {
		x := attr(v, n)
		if x.IsNull() {
			if required[n] {
				return c, fmt.Errorf("%s: required", n)
			}
			continue
		}
		if _, err := take(n, x); err != nil {
			return c, err
		}
	}
	for _, n := range listAttrs {
		x := attr(v, n)
		if x.IsNull() {
			continue
		}
		for i, e := range x.AsValueSlice() {
			if _, err := take(n, e); err != nil {
				return c, fmt.Errorf("%s[%d]: %w", n, i, err)
			}
		}
	}
	return c, nil
}

func isList(name string) bool {
	for _, n := range listAttrs {
		if n == name {
			return true
		}
	}
	return false
}
