package stats

import (
	"fmt"

	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/zclconf/go-cty/cty"

	"github.com/tr119/tr119/analysis/runs"
	"github.com/tr119/tr119/engine"
	aio "github.com/tr119/tr119/stages/internal/analysisio"
)

func spec() hcldec.Spec {
	str := func(n string) hcldec.Spec { return &hcldec.AttrSpec{Name: n, Type: cty.String} }
	return hcldec.ObjectSpec{
		"runs":          &hcldec.AttrSpec{Name: "runs", Type: cty.List(engine.ArtifactType), Required: true},
		"costs":         &hcldec.AttrSpec{Name: "costs", Type: engine.ArtifactType},
		"tier":          str("tier"),
		"confidence":    &hcldec.AttrSpec{Name: "confidence", Type: cty.Number},
		"energy_policy": str("energy_policy"),
		"energy_basis":  str("energy_basis"),
	}
}

type config struct {
	Runs  []engine.Artifact
	Costs *engine.Artifact
	Tier  string
	Level float64
	Opt   runs.Options
}

func decode(v cty.Value) (config, error) {
	var c config
	var err error
	if c.Runs, err = aio.Artifacts(aio.Attr(v, "runs"), "runs"); err != nil {
		return c, err
	}
	if x := aio.Attr(v, "costs"); !x.IsNull() {
		a, err := engine.ArtifactFromValue(x)
		if err != nil {
			return c, fmt.Errorf("costs: %w", err)
		}
		c.Costs = &a
	}
	var e1, e2, e3, e4 error
	c.Tier, e1 = aio.String(v, "tier", "on_demand")
	c.Level, e2 = aio.Number(v, "confidence", 0.95)
	c.Opt.Policy, e3 = aio.String(v, "energy_policy", runs.PolicyDominant)
	c.Opt.Basis, e4 = aio.String(v, "energy_basis", runs.BasisTotal)
	for _, e := range []error{e1, e2, e3, e4} {
		if e != nil {
			return c, e
		}
	}
	if c.Level <= 0 || c.Level >= 1 {
		return c, fmt.Errorf("confidence: %v: want a level between 0 and 1, e.g. 0.95", c.Level)
	}
	return c, nil
}
