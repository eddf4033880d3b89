package stats

import (
	"fmt"

	"github.com/tr119/tr119/analysis/runs"
	"github.com/tr119/tr119/artifacts"
	"github.com/tr119/tr119/engine"
)

// readReps rebuilds cells with their repetition samples from the cost
// stage's cost_reps/v1 table (rows grouped by cell, as the cost stage
// writes them; a cell seen again later is an error).
func readReps(a engine.Artifact) ([]runs.Cell, error) {
	tbl, err := artifacts.ReadParquet(a.Path)
	if err != nil {
		return nil, err
	}
	defer tbl.Release()
	if v := artifacts.SchemaVersion(tbl.Schema()); v != artifacts.CostRepsVersion {
		return nil, fmt.Errorf("reps %s: table is %q, want %s (the cost stage's reps output)", a.Path, v, artifacts.CostRepsVersion)
	}
	b, _, e1 := artifacts.StringCol(tbl, artifacts.ACBackend)
	s, _, e2 := artifacts.StringCol(tbl, artifacts.ACScenario)
	m, _, e3 := artifacts.StringCol(tbl, artifacts.ACMode)
	dc, _, e4 := artifacts.StringCol(tbl, artifacts.ACDeviceClass)
	rep, _, e5 := artifacts.Int64Col(tbl, artifacts.ACRepetition)
	pr, _, e6 := artifacts.Int64Col(tbl, artifacts.ACPrompts)
	tok, _, e7 := artifacts.Float64Col(tbl, artifacts.ACTokens)
	sec, _, e8 := artifacts.Float64Col(tbl, artifacts.ACSecondsSum)
	ej, ev, e9 := artifacts.Float64Col(tbl, artifacts.ACEnergyJ)
	for _, e := range []error{e1, e2, e3, e4, e5, e6, e7, e8, e9} {
		if e != nil {
			return nil, fmt.Errorf("reps %s: %w", a.Path, e)
		}
	}
	var cells []runs.Cell
	seen := map[[3]string]bool{}
	for i := range b {
		k := [3]string{b[i], s[i], m[i]}
		if n := len(cells); n == 0 || [3]string{cells[n-1].Backend, cells[n-1].Scenario, cells[n-1].Mode} != k {
			if seen[k] {
				return nil, fmt.Errorf("reps %s row %d: cell %s/%s/%s is not contiguous", a.Path, i+1, k[0], k[1], k[2])
			}
			seen[k] = true
			cells = append(cells, runs.Cell{Backend: k[0], Scenario: k[1], Mode: k[2], DeviceClass: dc[i]})
		}
		c := &cells[len(cells)-1]
		if tok[i] <= 0 || sec[i] <= 0 {
			return nil, fmt.Errorf("reps %s row %d: tokens %v and seconds %v must be > 0", a.Path, i+1, tok[i], sec[i])
		}
		c.Reps = append(c.Reps, runs.Rep{Repetition: rep[i], Prompts: int(pr[i]), Tokens: tok[i], Seconds: sec[i], EnergyJ: ej[i], HasEnergy: ev[i]})
		c.Rows += int(pr[i])
		if !ev[i] {
			c.EnergyMissing = "energy unavailable (see cost_cells)"
		}
	}
	return cells, nil
}
