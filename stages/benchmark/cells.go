package benchmark

import (
	"fmt"
	"math/rand/v2"

	"github.com/tr119/tr119/backends"
	"github.com/tr119/tr119/prompts"
)

// cell is one scenario x mode with its resolved prompts.
type cell struct {
	Scenario scenario
	Mode     backends.Mode
	Set      prompts.Set
}

// ID names the cell in progress notes, checkpoints and the recorded order.
func (c cell) ID() string { return fmt.Sprintf("%s/%s", c.Mode, c.Scenario.Name) }

// planCells resolves every scenario x mode and orders the cells with a
// generator seeded by seed, so the order is random (no cell always runs
// on a cold or a hot machine) yet reproducible and recorded.
func planCells(tk *prompts.Tokenizer, scs []scenario, modes []backends.Mode, seed int64) ([]cell, error) {
	var cells []cell
	for _, s := range scs {
		set, err := prompts.Resolve(tk, s.Prompts, s.BatchSize, s.PadMargin)
		if err != nil {
			return nil, fmt.Errorf("scenario %q: %w", s.Name, err)
		}
		for _, m := range modes {
			cells = append(cells, cell{Scenario: s, Mode: m, Set: set})
		}
	}
	r := rand.New(rand.NewPCG(uint64(seed), 0x7472313139)) // "tr119"
	r.Shuffle(len(cells), func(i, j int) { cells[i], cells[j] = cells[j], cells[i] })
	return cells, nil
}
