package cost

import (
	"fmt"
	"slices"

	"github.com/tr119/tr119/analysis/runs"
)

// Result holds every table of the cost stage, each sorted
// deterministically.
type Result struct {
	// Config is the normalised configuration (ordered tiers, defaults).
	Config    Config
	Cells     []Cell
	CellTiers []CellTier
	Summary   []Summary
	Winners   []Winner
	Requests  []RequestCost
	TCO       []TCO
	Savings   []Saving
}

// Analyse prices cells (from runs.Cells, sorted) under cfg. Cells with no
// counted rows are skipped. A tier without a price for a cell's device
// class is an error naming both.
func Analyse(cells []runs.Cell, cfg Config) (*Result, error) {
	if cfg.Local != nil {
		var classes []string
		for i := range cells {
			if !slices.Contains(classes, cells[i].DeviceClass) {
				classes = append(classes, cells[i].DeviceClass)
			}
		}
		slices.Sort(classes)
		t, err := cfg.Local.Tier(classes)
		if err != nil {
			return nil, err
		}
		cfg.Tiers = append(slices.Clone(cfg.Tiers), t)
		cfg.Local = nil
	}
	cfg, err := cfg.normalise()
	if err != nil {
		return nil, err
	}
	for s := range cfg.Weights {
		found := false
		for i := range cells {
			if cells[i].Scenario == s {
				found = true
				break
			}
		}
		if !found {
			return nil, fmt.Errorf("weights: scenario %q is not in the runs", s)
		}
	}
	res := &Result{Config: cfg}
	for i := range cells {
		if len(cells[i].Reps) == 0 {
			continue
		}
		res.Cells = append(res.Cells, newCell(&cells[i], cfg.CarbonGPerKWh, cfg.Level))
	}
	if len(res.Cells) == 0 {
		return nil, fmt.Errorf("no cell has a counted repetition")
	}
	for ci := range res.Cells {
		c := &res.Cells[ci]
		for _, t := range cfg.Tiers {
			rate, err := t.Rate(c.DeviceClass)
			if err != nil {
				return nil, fmt.Errorf("cell %s/%s/%s: %w", c.Backend, c.Scenario, c.Mode, err)
			}
			ct := CellTier{Cell: ci, Tier: t.Name, USDPerHour: rate}
			ct.Infra, ct.Energy, ct.Total, ct.EnergyShare = price(c, rate, cfg.USDPerKWh, cfg.Level)
			res.CellTiers = append(res.CellTiers, ct)
		}
	}
	aggs, err := aggregate(res.Cells, cfg)
	if err != nil {
		return nil, err
	}
	if res.Summary, err = summarise(aggs, cfg); err != nil {
		return nil, err
	}
	res.Winners = winners(res.Cells, res.CellTiers, cfg)
	if res.Requests, err = requests(aggs, cfg); err != nil {
		return nil, err
	}
	res.TCO = tco(res.Requests, cfg)
	res.Savings = savings(res.TCO)
	return res, nil
}
