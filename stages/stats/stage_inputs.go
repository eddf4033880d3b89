package stats

import "github.com/tr119/tr119/engine"

// StageInputs lets a pipeline pass the whole cost stage: cost =
// stage.cost.NAME fills reps and costs (its reps and cell_tiers).
func (Kind) StageInputs() []engine.StageInput {
	return []engine.StageInput{
		{Attr: "cost", Kind: "cost", Doc: "A whole cost stage: its reps and cell_tiers.",
			Fills: map[string]string{"reps": "reps", "cell_tiers": "costs"}},
	}
}
