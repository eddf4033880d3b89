package compare

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/tr119/tr119/artifacts"
	"github.com/tr119/tr119/internal/frame"
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
}

// Cell is one backend x scenario x mode of one side: its per-repetition
// samples and, when a cost stage priced it, its total $ per 1M tokens.
type Cell struct {
	Backend, Scenario, Mode string
	// Throughput is tokens/s per repetition; KWh is kWh per 1M tokens per
	// repetition (empty when any repetition lacks energy).
	Throughput, KWh []float64
	// USD is the total $ per 1M tokens at the tier (NaN when unknown).
	USD float64
}

type repKey struct {
	cell string
	rep  float64
}

type repSum struct {
	tokens, seconds, joules float64
	energyOK                bool
}

// Load reads a results folder, or the folder of a manifest.json path.
// tier names the cost tier whose totals are compared.
func Load(path, tier string) (*Side, error) {
	s := &Side{Dir: path, Manifest: filepath.Join(path, "manifest.json"), Cells: map[string]*Cell{}, Env: map[string]string{}}
	if st, err := os.Stat(path); err == nil && !st.IsDir() {
		s.Dir, s.Manifest = filepath.Dir(path), path
	}
	m, err := artifacts.ReadManifest(s.Manifest)
	if err != nil {
		return nil, err
	}
	for _, b := range m.Predicate.RunDetails.Byproducts {
		for k, v := range b.Annotations.Environment {
			s.Env[b.Name+": "+k] = v
		}
	}
	subjects := append([]artifacts.Subject(nil), m.Subject...)
	sort.Slice(subjects, func(i, j int) bool { return subjects[i].Name < subjects[j].Name })
	var tiers []string
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
		}
		if err != nil {
			return nil, err
		}
	}
	if len(s.Cells) == 0 {
		return nil, fmt.Errorf("%s: no runs table among the results", s.Manifest)
	}
	for _, p := range tiers {
		if err := s.addCosts(p, tier); err != nil {
			return nil, err
		}
	}
	return s, nil
}

func cellKey(b, sc, m string) string { return b + "\x00" + sc + "\x00" + m }

// addRuns groups a runs table's counted rows into repetitions.
func (s *Side) addRuns(path string) error {
	cols := []string{artifacts.ColBackend, artifacts.ColScenario, artifacts.ColMode, artifacts.ColDeviceClass,
		artifacts.ColRepetition, artifacts.ColTokens, artifacts.ColLatencyMS, artifacts.ColWarmup,
		artifacts.ColDriftCheck, artifacts.ColStatus}
	for _, d := range artifacts.Domains {
		cols = append(cols, artifacts.DomainCol(d, artifacts.SufEnergyJ))
	}
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
			s.Cells[k] = &Cell{Backend: b, Scenario: sc, Mode: m, USD: nan}
		}
		rk := repKey{k, f.Num(artifacts.ColRepetition, i)}
		r := reps[rk]
		if r == nil {
			r = &repSum{energyOK: true}
			reps[rk] = r
			order = append(order, rk)
		}
		// The report's attribution: the GPU domain for GPU backends, the
		// CPU package otherwise.
		dom := artifacts.DomainCPUPackage
		if f.Str(artifacts.ColDeviceClass, i) == "gpu" {
			dom = artifacts.DomainGPU
		}
		e := f.Num(artifacts.DomainCol(dom, artifacts.SufEnergyJ), i)
		r.tokens += f.Num(artifacts.ColTokens, i)
		r.seconds += f.Num(artifacts.ColLatencyMS, i) / 1000
		r.joules += e
		r.energyOK = r.energyOK && e == e
	}
	sort.SliceStable(order, func(i, j int) bool {
		if order[i].cell != order[j].cell {
			return order[i].cell < order[j].cell
		}
		return order[i].rep < order[j].rep
	})
	noEnergy := map[string]bool{}
	for _, rk := range order {
		r, c := reps[rk], s.Cells[rk.cell]
		if r.seconds <= 0 || r.tokens <= 0 {
			return fmt.Errorf("%s: cell %s repetition %v: no time or tokens", path, strings.ReplaceAll(rk.cell, "\x00", "/"), rk.rep)
		}
		c.Throughput = append(c.Throughput, r.tokens/r.seconds)
		if !r.energyOK {
			noEnergy[rk.cell] = true
		}
		c.KWh = append(c.KWh, r.joules/r.tokens*1e6/3.6e6)
	}
	for k := range noEnergy {
		s.Cells[k].KWh = nil
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

// addCosts takes each cell's total at tier from a cost_cell_tiers table.
func (s *Side) addCosts(path, tier string) error {
	f, err := frame.Read(path)
	if err != nil {
		return err
	}
	if err := f.Require("cost_cell_tiers/", artifacts.ACBackend, artifacts.ACTotal); err != nil {
		return err
	}
	for _, i := range f.Rows(artifacts.ACTier, tier) {
		k := cellKey(f.Str(artifacts.ACBackend, i), f.Str(artifacts.ACScenario, i), f.Str(artifacts.ACMode, i))
		if c := s.Cells[k]; c != nil {
			c.USD = f.Num(artifacts.ACTotal, i)
		}
	}
	return nil
}
