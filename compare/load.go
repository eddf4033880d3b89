package compare

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/tr119/tr119/analysis/cost"
	"github.com/tr119/tr119/artifacts"
	"github.com/tr119/tr119/internal/frame"
	"github.com/tr119/tr119/manifest"
)

// Side is one loaded results folder.
type Side struct {
	// Dir is the results folder; Manifest the manifest path.
	Dir, Manifest string
	// Cells are keyed by "backend\x00scenario\x00mode".
	Cells map[string]*Cell
	// Env maps "source: key" to value, from environment tables and the
	// manifest's stage environments.
	Env map[string]string
	// Tier is the cost tier read ("" without a cost stage).
	Tier string
}

// Cell is one backend x scenario x mode of one side: its per-repetition
// throughput from the runs and, when a cost stage priced it, its energy
// and cost as the cost stage computed them.
type Cell struct {
	Backend, Scenario, Mode string
	// Throughput is tokens/s per repetition, from the runs table.
	Throughput []float64
	// KWh is kWh per 1M tokens per repetition, from the cost stage's reps
	// (its energy attribution); empty without a cost stage or energy.
	KWh []float64
	// Total and Infra are the cost stage's $ per 1M tokens at the tier
	// (NaN when unknown); TotalReps and InfraReps price each repetition
	// the same way, for the test.
	Total, Infra         float64
	TotalReps, InfraReps []float64
	// usdPerHour and usdPerKWh are the prices the cost stage applied.
	usdPerHour, usdPerKWh float64
	kwhPer1M              float64   // the cost stage's cell mean
	seconds, kwh          []float64 // per repetition, per 1M tokens
}

type repKey struct {
	cell string
	rep  float64
}

type repSum struct{ tokens, seconds float64 }

// Load reads a results folder, or the folder of a manifest.json path.
// tier names the cost tier whose costs are compared; "" means the cost
// stage's headline tier.
func Load(path, tier string) (*Side, error) {
	s := &Side{Dir: path, Manifest: filepath.Join(path, "manifest.json"), Cells: map[string]*Cell{}, Env: map[string]string{}}
	if st, err := os.Stat(path); err == nil && !st.IsDir() {
		s.Dir, s.Manifest = filepath.Dir(path), path
	}
	m, err := manifest.Read(s.Manifest)
	if err != nil {
		return nil, err
	}
	for _, b := range m.Predicate.RunDetails.Byproducts {
		for k, v := range b.Annotations.Environment {
			s.Env[b.Name+": "+k] = v
		}
	}
	subjects := append([]manifest.Subject(nil), m.Subject...)
	sort.Slice(subjects, func(i, j int) bool { return subjects[i].Name < subjects[j].Name })
	var tiers, reps, cells []string
	// Tables are recognised by their schema version, not by the stage
	// that wrote them: an imported runs table counts like a measured one.
	for _, sub := range subjects {
		if sub.MediaType != artifacts.ParquetMediaType {
			continue
		}
		p := filepath.Join(s.Dir, filepath.FromSlash(sub.Name))
		schema, _, err := artifacts.ReadParquetSchema(p)
		if err != nil {
			return nil, err
		}
		switch v := artifacts.SchemaVersion(schema); {
		case strings.HasPrefix(v, "runs/"):
			err = s.addRuns(p)
		case strings.HasPrefix(v, "environment/"):
			err = s.addEnv(p, sub.Annotations.Stage)
		case strings.HasPrefix(v, "cost_cell_tiers/"):
			tiers = append(tiers, p)
		case strings.HasPrefix(v, "cost_reps/"):
			reps = append(reps, p)
		case strings.HasPrefix(v, "cost_cells/"):
			cells = append(cells, p)
		}
		if err != nil {
			return nil, err
		}
	}
	if len(s.Cells) == 0 {
		return nil, fmt.Errorf("%s: no runs table among the results", s.Manifest)
	}
	// The cost stage's tables, in manifest order: its reps (energy as it
	// attributed it), cells (the electricity price it applied) and cell
	// tiers (the hourly rate and its costs).
	for _, p := range reps {
		if err := s.addReps(p); err != nil {
			return nil, err
		}
	}
	for _, p := range cells {
		if err := s.addCostCells(p); err != nil {
			return nil, err
		}
	}
	for _, p := range tiers {
		if err := s.addCosts(p, tier); err != nil {
			return nil, err
		}
	}
	for _, c := range s.Cells {
		c.priceReps()
	}
	return s, nil
}

func cellKey(b, sc, m string) string { return b + "\x00" + sc + "\x00" + m }

// addRuns groups a runs table's counted rows into repetitions.
func (s *Side) addRuns(path string) error {
	cols := []string{artifacts.ColBackend, artifacts.ColScenario, artifacts.ColMode, artifacts.ColDeviceClass,
		artifacts.ColRepetition, artifacts.ColTokens, artifacts.ColLatencyMS, artifacts.ColWarmup,
		artifacts.ColDriftCheck, artifacts.ColStatus}
	f, err := frame.ReadColumns(path, cols)
	if err != nil {
		return err
	}
	if err := f.Require("runs/", cols[:10]...); err != nil {
		return err
	}
	reps := map[repKey]*repSum{}
	var order []repKey
	for i := 0; i < f.Len; i++ {
		if f.Num(artifacts.ColWarmup, i) == 1 || f.Num(artifacts.ColDriftCheck, i) == 1 || f.Str(artifacts.ColStatus, i) != artifacts.StatusOK {
			continue
		}
		b, sc, m := f.Str(artifacts.ColBackend, i), f.Str(artifacts.ColScenario, i), f.Str(artifacts.ColMode, i)
		k := cellKey(b, sc, m)
		if s.Cells[k] == nil {
			s.Cells[k] = &Cell{Backend: b, Scenario: sc, Mode: m, Total: nan, Infra: nan, usdPerHour: nan, usdPerKWh: nan, kwhPer1M: nan}
		}
		rk := repKey{k, f.Num(artifacts.ColRepetition, i)}
		r := reps[rk]
		if r == nil {
			r = &repSum{}
			reps[rk] = r
			order = append(order, rk)
		}
		r.tokens += f.Num(artifacts.ColTokens, i)
		r.seconds += f.Num(artifacts.ColLatencyMS, i) / 1000
	}
	sort.SliceStable(order, func(i, j int) bool {
		if order[i].cell != order[j].cell {
			return order[i].cell < order[j].cell
		}
		return order[i].rep < order[j].rep
	})
	for _, rk := range order {
		r, c := reps[rk], s.Cells[rk.cell]
		if r.seconds <= 0 || r.tokens <= 0 {
			return fmt.Errorf("%s: cell %s repetition %v: no time or tokens", path, strings.ReplaceAll(rk.cell, "\x00", "/"), rk.rep)
		}
		c.Throughput = append(c.Throughput, r.tokens/r.seconds)
	}
	return nil
}

// addEnv adds an environment/v1 table's keys.
func (s *Side) addEnv(path, stage string) error {
	f, err := frame.Read(path)
	if err != nil {
		return err
	}
	if err := f.Require("environment/", "key", "value"); err != nil {
		return err
	}
	for i := 0; i < f.Len; i++ {
		s.Env[stage+": "+f.Str("key", i)] = f.Str("value", i)
	}
	return nil
}

// addReps takes each cell's per-repetition seconds and energy per 1M
// tokens from the cost stage's cost_reps table (energy as the cost stage
// attributed it; a cell with a repetition without energy has none).
func (s *Side) addReps(path string) error {
	f, err := frame.Read(path)
	if err != nil {
		return err
	}
	if err := f.Require("cost_reps/", artifacts.ACBackend, artifacts.ACTokens, artifacts.ACSecondsSum, artifacts.ACEnergyJ); err != nil {
		return err
	}
	seen := map[*Cell]bool{}
	noEnergy := map[*Cell]bool{}
	for i := 0; i < f.Len; i++ {
		c := s.Cells[cellKey(f.Str(artifacts.ACBackend, i), f.Str(artifacts.ACScenario, i), f.Str(artifacts.ACMode, i))]
		if c == nil {
			continue
		}
		if !seen[c] { // a later cost stage replaces an earlier one's samples
			seen[c], c.seconds, c.kwh = true, nil, nil
		}
		tok, sec, ej := f.Num(artifacts.ACTokens, i), f.Num(artifacts.ACSecondsSum, i), f.Num(artifacts.ACEnergyJ, i)
		if tok <= 0 {
			return fmt.Errorf("%s row %d: tokens %v", path, i+1, tok)
		}
		c.seconds = append(c.seconds, sec/tok*1e6)
		c.kwh = append(c.kwh, ej/tok*1e6/3.6e6)
		if math.IsNaN(ej) {
			noEnergy[c] = true
		}
	}
	for c := range seen {
		c.KWh = nil
		if !noEnergy[c] {
			c.KWh = c.kwh
		}
	}
	return nil
}

// addCostCells takes each cell's mean kWh per 1M tokens from cost_cells:
// with the energy $ per 1M of cost_cell_tiers it gives the electricity
// price the cost stage applied.
func (s *Side) addCostCells(path string) error {
	f, err := frame.Read(path)
	if err != nil {
		return err
	}
	if err := f.Require("cost_cells/", artifacts.ACBackend, artifacts.ACEnergy); err != nil {
		return err
	}
	for i := 0; i < f.Len; i++ {
		if c := s.Cells[cellKey(f.Str(artifacts.ACBackend, i), f.Str(artifacts.ACScenario, i), f.Str(artifacts.ACMode, i))]; c != nil {
			c.kwhPer1M = f.Num(artifacts.ACEnergy, i)
		}
	}
	return nil
}

// addCosts takes each cell's costs at the tier ("" = the cost stage's
// headline tier) from a cost_cell_tiers table.
func (s *Side) addCosts(path, tier string) error {
	f, err := frame.Read(path)
	if err != nil {
		return err
	}
	if err := f.Require("cost_cell_tiers/", artifacts.ACBackend, artifacts.ACTotal, artifacts.ACInfra, artifacts.ACUSDPerHour); err != nil {
		return err
	}
	if tier == "" {
		if tier = f.Meta[artifacts.HeadlineTierKey]; tier == "" {
			tier = "on_demand"
		}
	}
	s.Tier = tier
	for _, i := range f.Rows(artifacts.ACTier, tier) {
		k := cellKey(f.Str(artifacts.ACBackend, i), f.Str(artifacts.ACScenario, i), f.Str(artifacts.ACMode, i))
		c := s.Cells[k]
		if c == nil {
			continue
		}
		c.Total, c.Infra = f.Num(artifacts.ACTotal, i), f.Num(artifacts.ACInfra, i)
		c.usdPerHour = f.Num(artifacts.ACUSDPerHour, i)
		c.usdPerKWh = cost.AppliedUSDPerKWh(f.Num(artifacts.ACEnergyUSD, i), c.kwhPer1M)
	}
	return nil
}

// priceReps prices each repetition as the cost stage prices the cell:
// seconds per 1M at the hourly rate, plus kWh per 1M at the electricity
// price it applied.
func (c *Cell) priceReps() {
	if math.IsNaN(c.usdPerHour) || len(c.seconds) == 0 {
		return
	}
	c.InfraReps = cost.RepCosts(c.seconds, nil, c.usdPerHour, 0)
	if c.KWh == nil || math.IsNaN(c.usdPerKWh) {
		return
	}
	c.TotalReps = cost.RepCosts(c.seconds, c.KWh, c.usdPerHour, c.usdPerKWh)
}
