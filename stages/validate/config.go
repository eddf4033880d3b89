package validate

import (
	"encoding/json"
	"fmt"
	"math"
	"os"

	"github.com/zclconf/go-cty/cty"

	"github.com/tr119/tr119/analysis/checks"
	"github.com/tr119/tr119/analysis/runs"
	"github.com/tr119/tr119/engine"
	"github.com/tr119/tr119/schema"
)

// bodySchema is the validate stage body. The energy factors, policy and
// basis are not declared here: they come from the cost stage's
// cost_analysis.json (cost_json), so they cannot differ from what the cost
// stage used.
func bodySchema() *schema.Body {
	count := func(name, doc string) *schema.Attr {
		return &schema.Attr{Name: name, Type: cty.Number, Integer: true, Min: schema.Float(0), Max: schema.Float(1 << 30), Doc: doc}
	}
	tol := func(name, doc string) *schema.Attr {
		return &schema.Attr{Name: name, Type: cty.Number, Min: schema.Float(0), Doc: doc}
	}
	return &schema.Body{
		Attrs: []*schema.Attr{
			minItems(engine.ArtifactListAttr("runs", false, "Benchmark runs tables to check: stage.benchmark.NAME.runs, ...")),
			engine.ArtifactListAttr("environments", false, "The benchmarks' environment tables (stage.benchmark.NAME.environment): their cpu_cores lets the busy-machine check tell the backend's own CPU use from other load; without them that check is skipped."),
			engine.ArtifactAttr("cost_cells", false, "Priced cells: stage.cost.NAME.cells."),
			engine.ArtifactAttr("cost_tiers", false, "Cost per tier and cell: stage.cost.NAME.cell_tiers."),
			engine.ArtifactAttr("cost_json", false, "The cost stage's cost_analysis.json (stage.cost.NAME.json): its energy price, carbon intensity, energy policy and basis are the ones checked."),
			{Name: "strict", Type: cty.Bool, Default: cty.False, Doc: "Fail the stage when a check fails."},
			count("min_repetitions", "The fewest repetitions a cell may have (0: the checks' default)."),
			count("min_energy_samples", "The fewest energy samples a measured window may have (0: the checks' default)."),
			tol("throughput_tolerance", "Relative tolerance of throughput against tokens/latency (0: the checks' default)."),
			tol("drift_tolerance", "Relative tolerance of drift across repetitions (0: the checks' default)."),
		},
		Rules: []schema.Rule{{Doc: "Something to validate: runs, or cost_cells with cost_tiers and cost_json.", Check: inputsRule}},
	}
}

func minItems(a *schema.Attr) *schema.Attr { a.MinItems = 1; return a }

// inputsRule requires runs or the cost tables, and the cost tables
// together with the cost stage's json.
func inputsRule(v cty.Value) []*schema.PathError {
	// A value known only after apply (a stage output) is set.
	given := func(n string) bool { x := v.GetAttr(n); return !x.IsKnown() || !x.IsNull() }
	var errs []*schema.PathError
	runsSet, cellsSet, tiersSet, jsonSet := given("runs"), given("cost_cells"), given("cost_tiers"), given("cost_json")
	if !runsSet && !cellsSet && !tiersSet {
		errs = append(errs, schema.Errorf(nil, "Nothing to validate",
			"Set runs (the benchmarks' runs tables), or cost_cells, cost_tiers and cost_json (the cost stage's cells, cell_tiers and json)."))
	}
	if (cellsSet || tiersSet || jsonSet) && !(cellsSet && tiersSet && jsonSet) {
		errs = append(errs, schema.Errorf(nil, "Incomplete cost inputs",
			"The cost checks need cost_cells, cost_tiers and cost_json together: set all three from the same cost stage (its cells, cell_tiers and json outputs)."))
	}
	return errs
}

// body is the decoded stage body.
type body struct {
	Runs          []engine.Artifact `cty:"runs"`
	Environments  []engine.Artifact `cty:"environments"`
	CostCells     *engine.Artifact  `cty:"cost_cells"`
	CostTiers     *engine.Artifact  `cty:"cost_tiers"`
	CostJSON      *engine.Artifact  `cty:"cost_json"`
	Strict        bool              `cty:"strict"`
	MinReps       *int              `cty:"min_repetitions"`
	MinSamples    *int64            `cty:"min_energy_samples"`
	ThroughputTol *float64          `cty:"throughput_tolerance"`
	DriftTol      *float64          `cty:"drift_tolerance"`
}

type config struct {
	Runs, Environments   []engine.Artifact
	CostCells, CostTiers *engine.Artifact
	CostJSON             *engine.Artifact
	Strict               bool
	Checks               checks.Options
	// Factors and Opt are the cost stage's (readCostParams); NaN factors
	// and the default policy when there is no cost stage.
	Factors checks.Factors
	Opt     runs.Options
}

func decode(v cty.Value) (config, error) {
	var b body
	if err := bodySchema().ValidateDecode(v, &b); err != nil {
		return config{}, err
	}
	c := config{Runs: b.Runs, Environments: b.Environments, CostCells: b.CostCells, CostTiers: b.CostTiers, CostJSON: b.CostJSON, Strict: b.Strict,
		Factors: checks.Factors{USDPerKWh: math.NaN(), CarbonGPerKWh: math.NaN()},
		Opt:     runs.Options{Policy: runs.PolicyDominant, Basis: runs.BasisTotal}}
	if b.MinReps != nil {
		c.Checks.MinReps = *b.MinReps
	}
	if b.MinSamples != nil {
		c.Checks.MinSamples = *b.MinSamples
	}
	if b.ThroughputTol != nil {
		c.Checks.ThroughputTol = *b.ThroughputTol
	}
	if b.DriftTol != nil {
		c.Checks.DriftTol = *b.DriftTol
	}
	return c, nil
}

// costParams is the part of cost_analysis.json the checks use.
type costParams struct {
	Config struct {
		USDPerKWh     *float64 `json:"usd_per_kwh"`
		CarbonGPerKWh *float64 `json:"carbon_g_per_kwh"`
		EnergyPolicy  string   `json:"energy_policy"`
		EnergyBasis   string   `json:"energy_basis"`
	} `json:"config"`
}

// readCostParams takes the energy factors, policy and basis from the cost
// stage's json, when given and available.
func (c *config) readCostParams() error {
	if c.CostJSON == nil || !c.CostJSON.Available {
		c.Checks.Policy = c.Opt.Policy
		return nil
	}
	raw, err := os.ReadFile(c.CostJSON.Path)
	if err != nil {
		return fmt.Errorf("cost_json: %w", err)
	}
	var p costParams
	if err := json.Unmarshal(raw, &p); err != nil {
		return fmt.Errorf("cost_json: %s: %w", c.CostJSON.Stage, err)
	}
	cfg := p.Config
	if cfg.USDPerKWh == nil || cfg.CarbonGPerKWh == nil || cfg.EnergyPolicy == "" || cfg.EnergyBasis == "" {
		return fmt.Errorf("cost_json: %s: want the cost stage's cost_analysis.json (config with usd_per_kwh, carbon_g_per_kwh, energy_policy, energy_basis)", c.CostJSON.Stage)
	}
	c.Factors = checks.Factors{USDPerKWh: *cfg.USDPerKWh, CarbonGPerKWh: *cfg.CarbonGPerKWh}
	c.Opt = runs.Options{Policy: cfg.EnergyPolicy, Basis: cfg.EnergyBasis}
	c.Checks.Policy = c.Opt.Policy
	return nil
}
