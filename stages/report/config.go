package report

import (
	"fmt"

	"github.com/zclconf/go-cty/cty"

	"github.com/tr119/tr119/engine"
	"github.com/tr119/tr119/schema"
)

// Artifact attributes: single artifacts, then lists.
var (
	singleAttrs = []string{"cells", "cell_tiers", "summary", "winners", "requests", "tco", "savings", "cost_json",
		"stats_cells", "stats_groups", "stats_tests", "stats_pairwise", "stats_cell_pairwise", "figures"}
	listAttrs = []string{"runs", "environments", "benchmark_cells", "validation", "validation_json"}
	required  = map[string]bool{"cells": true, "cell_tiers": true, "summary": true}
)

// MaxTitle bounds the report's title in characters.
const MaxTitle = 200

// artifactDocs says what each artifact attribute takes.
var artifactDocs = map[string]string{
	"cells": "stage.cost.NAME.cells", "cell_tiers": "stage.cost.NAME.cell_tiers", "summary": "stage.cost.NAME.summary",
	"winners": "stage.cost.NAME.winners", "requests": "stage.cost.NAME.requests", "tco": "stage.cost.NAME.tco",
	"savings": "stage.cost.NAME.savings", "cost_json": "stage.cost.NAME.json", "stats_cells": "stage.stats.NAME.cells",
	"stats_groups": "stage.stats.NAME.groups", "stats_tests": "stage.stats.NAME.tests",
	"stats_pairwise": "stage.stats.NAME.pairwise", "stats_cell_pairwise": "stage.stats.NAME.cell_pairwise",
	"figures": "stage.plot.NAME.figures",
	"runs":    "the benchmarks' runs tables", "environments": "the benchmarks' environment tables",
	"benchmark_cells": "the benchmarks' cells tables (cells/v1): cells a backend cannot run are named in the limitations",
	"validation":      "validate stages' tables", "validation_json": "validate stages' json",
}

// bodySchema is the report stage body.
func bodySchema() *schema.Body {
	b := &schema.Body{Attrs: []*schema.Attr{
		{Name: "title", Type: cty.String, Default: cty.StringVal("Cost and energy per token"), MaxLen: MaxTitle, Display: true,
			Doc: "The report's title."},
		{Name: "tier", Type: cty.String, Doc: "The tier the report ranks and recommends on; by default the cost stage's headline_tier (a different one is an error)."},
	}}
	for _, n := range singleAttrs {
		b.Attrs = append(b.Attrs, engine.ArtifactAttr(n, required[n], artifactDocs[n]+"."))
	}
	for _, n := range listAttrs {
		b.Attrs = append(b.Attrs, engine.ArtifactListAttr(n, false, artifactDocs[n]+"."))
	}
	return b
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

// body is the decoded title and tier; the artifacts stay cty values,
// walked by name below.
type body struct {
	Title string  `cty:"title"`
	Tier  *string `cty:"tier"`
}

func decode(v cty.Value) (config, error) {
	sch := bodySchema()
	if errs := sch.Validate(v); len(errs) > 0 {
		return config{}, errs[0]
	}
	full := sch.WithDefaults(v)
	var b body
	if err := schema.Decode(cty.ObjectVal(map[string]cty.Value{"title": full.GetAttr("title"), "tier": full.GetAttr("tier")}), &b); err != nil {
		return config{}, err
	}
	c := config{Title: b.Title, Arts: map[string]engine.Artifact{}, Lists: map[string][]engine.Artifact{}}
	if b.Tier != nil {
		c.Tier = *b.Tier
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
