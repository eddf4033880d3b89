package stats

import (
	"fmt"

	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/zclconf/go-cty/cty"

	"github.com/tr119/tr119/engine"
	aio "github.com/tr119/tr119/stages/internal/analysisio"
)

func spec() hcldec.Spec {
	str := func(n string) hcldec.Spec { return &hcldec.AttrSpec{Name: n, Type: cty.String} }
	return hcldec.ObjectSpec{
		"reps":       &hcldec.AttrSpec{Name: "reps", Type: engine.ArtifactType, Required: true},
		"costs":      &hcldec.AttrSpec{Name: "costs", Type: engine.ArtifactType},
		"tier":       str("tier"),
		"confidence": &hcldec.AttrSpec{Name: "confidence", Type: cty.Number},
	}
}

type config struct {
	Reps  engine.Artifact
	Costs *engine.Artifact
	Tier  string
	Level float64
}

func decode(v cty.Value) (config, error) {
	var c config
	var err error
	if c.Reps, err = engine.ArtifactFromValue(aio.Attr(v, "reps")); err != nil {
		return c, fmt.Errorf("reps: %w (want stage.cost.NAME.reps)", err)
	}
	if x := aio.Attr(v, "costs"); !x.IsNull() {
		a, err := engine.ArtifactFromValue(x)
		if err != nil {
			return c, fmt.Errorf("costs: %w", err)
		}
		c.Costs = &a
	}
	var e1, e2 error
	c.Tier, e1 = aio.String(v, "tier", "") // "": the cost stage's headline tier
	c.Level, e2 = aio.Number(v, "confidence", 0.95)
	for _, e := range []error{e1, e2} {
		if e != nil {
			return c, e
		}
	}
	if c.Level <= 0 || c.Level >= 1 {
		return c, fmt.Errorf("confidence: %v: want a level between 0 and 1, e.g. 0.95", c.Level)
	}
	return c, nil
}
