package validate

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/tr119/tr119/analysis/checks"
	"github.com/tr119/tr119/artifacts"
	"github.com/tr119/tr119/engine"
)

// readTable reads a cost table and checks its version.
func readTable(a engine.Artifact, version string) (arrow.Table, error) {
	tbl, err := artifacts.ReadParquet(a.Path)
	if err != nil {
		return nil, err
	}
	if v := artifacts.SchemaVersion(tbl.Schema()); v != version {
		tbl.Release()
		return nil, fmt.Errorf("%s: table is %q, want %s", a.Path, v, version)
	}
	return tbl, nil
}

// cols reads string and float columns, keeping the first error; null
// floats become NaN.
type cols struct {
	tbl arrow.Table
	err error
}

func (c *cols) str(name string) []string {
	if c.err != nil {
		return nil
	}
	v, _, err := artifacts.StringCol(c.tbl, name)
	c.err = err
	return v
}

func (c *cols) num(name string) []float64 {
	if c.err != nil {
		return nil
	}
	v, valid, err := artifacts.Float64Col(c.tbl, name)
	c.err = err
	for i := range v {
		if !valid[i] {
			v[i] = nan
		}
	}
	return v
}

func readCostCells(a engine.Artifact) ([]checks.CostCell, error) {
	tbl, err := readTable(a, artifacts.CostCellsVersion)
	if err != nil {
		return nil, err
	}
	defer tbl.Release()
	c := cols{tbl: tbl}
	b, s, m := c.str(artifacts.ACBackend), c.str(artifacts.ACScenario), c.str(artifacts.ACMode)
	sec, pw, kwh, co := c.num(artifacts.ACSeconds), c.num(artifacts.ACPower), c.num(artifacts.ACEnergy), c.num(artifacts.ACCarbon)
	if c.err != nil {
		return nil, fmt.Errorf("%s: %w", a.Path, c.err)
	}
	out := make([]checks.CostCell, len(b))
	for i := range b {
		out[i] = checks.CostCell{Backend: b[i], Scenario: s[i], Mode: m[i], Seconds: sec[i], PowerW: pw[i], KWh: kwh[i], Carbon: co[i]}
	}
	return out, nil
}

func readCostTiers(a engine.Artifact) ([]checks.CostTier, error) {
	tbl, err := readTable(a, artifacts.CostTiersVersion)
	if err != nil {
		return nil, err
	}
	defer tbl.Release()
	c := cols{tbl: tbl}
	b, s, m, t := c.str(artifacts.ACBackend), c.str(artifacts.ACScenario), c.str(artifacts.ACMode), c.str(artifacts.ACTier)
	rate, infra, en, tot := c.num(artifacts.ACUSDPerHour), c.num(artifacts.ACInfra), c.num(artifacts.ACEnergyUSD), c.num(artifacts.ACTotal)
	if c.err != nil {
		return nil, fmt.Errorf("%s: %w", a.Path, c.err)
	}
	out := make([]checks.CostTier, len(b))
	for i := range b {
		out[i] = checks.CostTier{Backend: b[i], Scenario: s[i], Mode: m[i], Tier: t[i], USDPerHour: rate[i], Infra: infra[i], Energy: en[i], Total: tot[i]}
	}
	return out, nil
}
