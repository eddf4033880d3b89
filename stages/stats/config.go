package stats

import (
	"github.com/zclconf/go-cty/cty"

	"github.com/tr119/tr119/engine"
	"github.com/tr119/tr119/schema"
	aio "github.com/tr119/tr119/stages/internal/analysisio"
)

// bodySchema is the stats stage body.
func bodySchema() *schema.Body {
	return &schema.Body{Attrs: []*schema.Attr{
		engine.ArtifactAttr("reps", true, "Per-repetition costs: stage.cost.NAME.reps."),
		engine.ArtifactAttr("costs", false, "Priced cells (stage.cost.NAME.cell_tiers), for the tests across backends."),
		{Name: "tier", Type: cty.String, Doc: "The tier whose costs the statistics use; by default the cost stage's headline_tier (a different one is an error)."},
		aio.ConfidenceAttr(),
	}}
}

type config struct {
	Reps  engine.Artifact  `cty:"reps"`
	Costs *engine.Artifact `cty:"costs"`
	Tier  *string          `cty:"tier"`
	Level float64          `cty:"confidence"`
}

func decode(v cty.Value) (config, error) {
	var c config
	err := bodySchema().ValidateDecode(v, &c)
	return c, err
}
