package plot

import (
	"fmt"

	"github.com/zclconf/go-cty/cty"

	"github.com/tr119/tr119/engine"
	"github.com/tr119/tr119/schema"
)

// bodySchema is the plot stage body.
func bodySchema() *schema.Body {
	return &schema.Body{Attrs: []*schema.Attr{
		engine.ArtifactAttr("cells", true, "Priced cells: stage.cost.NAME.cells."),
		engine.ArtifactAttr("cell_tiers", true, "Cost per tier and cell: stage.cost.NAME.cell_tiers."),
		engine.ArtifactAttr("summary", false, "The cost summary (stage.cost.NAME.summary), for the tier chart."),
		engine.ArtifactAttr("stats_cells", false, "Cell statistics (stage.stats.NAME.cells), for error bars."),
		{Name: "tier", Type: cty.String, Doc: "The tier the cost charts show; by default the cost stage's headline_tier (a different one is an error)."},
	}}
}

// config is the decoded stage body.
type config struct {
	Cells      engine.Artifact  `cty:"cells"`
	CellTiers  engine.Artifact  `cty:"cell_tiers"`
	Summary    *engine.Artifact `cty:"summary"`
	StatsCells *engine.Artifact `cty:"stats_cells"`
	Tier       *string          `cty:"tier"`
}

func decode(v cty.Value) (config, error) {
	var c config
	if err := bodySchema().ValidateDecode(v, &c); err != nil {
		return c, err
	}
	for _, x := range []struct {
		name string
		a    *engine.Artifact
	}{{"cells", &c.Cells}, {"cell_tiers", &c.CellTiers}, {"summary", c.Summary}, {"stats_cells", c.StatsCells}} {
		if x.a != nil && !x.a.Available {
			return c, fmt.Errorf("%s: artifact from %s is unavailable: %s", x.name, x.a.Stage, x.a.Reason)
		}
	}
	return c, nil
}
