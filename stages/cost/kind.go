package cost

import (
	"context"
	"fmt"
	"math"

	acost "github.com/tr119/tr119/analysis/cost"
	"github.com/tr119/tr119/analysis/runs"
	"github.com/tr119/tr119/engine"
	"github.com/tr119/tr119/schema"
	aio "github.com/tr119/tr119/stages/internal/analysisio"
)

// Version is the kind's implementation version: bump it whenever the same
// inputs would give other output bytes.
const Version = "3"

// Output names and their files.
var outputs = []aio.Output{
	{Name: "cells", File: "cost_cells.parquet", Doc: "cost_cells/v1: per backend x scenario x mode, seconds, hours, kWh and gCO2e per 1M tokens with 95% CIs."},
	{Name: "cell_tiers", File: "cost_cell_tiers.parquet", Doc: "cost_cell_tiers/v1: per cell and pricing tier, infra, energy and total $ per 1M tokens."},
	{Name: "summary", File: "cost_summary.parquet", Doc: "cost_summary/v1: per mode x backend x tier, aggregated across scenarios, with rank and multiple vs best."},
	{Name: "winners", File: "cost_winners.parquet", Doc: "cost_winners/v1: per mode x scenario x tier, the cheapest backend and the runner-up."},
	{Name: "requests", File: "cost_requests.parquet", Doc: "cost_requests/v1: per backend x tier, the request mix's cost, infra/energy split, carbon and savings vs the reference tier."},
	{Name: "tco", File: "cost_tco.parquet", Doc: "cost_tco/v1: per backend x tier, monthly and total cost of the declared token volume."},
	{Name: "savings", File: "cost_savings.parquet", Doc: "cost_savings/v1: per tier, what each backend saves against each other one."},
	{Name: "reps", File: "cost_reps.parquet", Doc: "cost_reps/v1: the repetition samples behind cells (tokens, seconds, energy), for the stats stage."},
	{Name: "json", File: "cost_analysis.json", Doc: "the summary, winners, request costs, TCO and savings as JSON, with the normalised configuration."},
}

// Kind is the cost stage kind.
type Kind struct{}

// New returns the cost stage kind.
func New() engine.Kind { return Kind{} }

// Info implements engine.Kind.
func (Kind) Info() engine.KindInfo {
	info := engine.KindInfo{
		Name: "cost", Version: Version, Deterministic: true,
		Doc: "Prices runs tables: seconds, kWh and gCO2e per 1M tokens per cell with 95% CIs; $ per 1M for every " +
			"pricing tier (per device class), energy-only and an amortised local tier; aggregates across scenarios " +
			"(time or arithmetic, optional workload weights); scenario winners; request-level cost; TCO; savings.",
	}
	info.Outputs = aio.OutputInfos(outputs)
	return info
}

// Schema implements engine.Kind.
func (Kind) Schema() *schema.Body { return bodySchema() }

// Run implements engine.Kind.
func (Kind) Run(ctx context.Context, r *engine.Run) (*engine.Result, error) {
	c, err := decode(r.Config)
	if err != nil {
		return nil, fmt.Errorf("cost: %w", err)
	}
	r.Progress.Report(0, 3, "reading runs")
	rows, notes, err := aio.ReadRuns(c.Runs, aio.Need{Opt: c.Opt})
	if err != nil {
		return nil, fmt.Errorf("cost: %w", err)
	}
	for _, n := range notes {
		r.Log.Warn(n)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r.Progress.Report(1, 3, "pricing cells")
	res, err := Compute(rows, c.Opt, c.Cost)
	if err != nil {
		return nil, fmt.Errorf("cost: %w", err)
	}
	r.Progress.Report(2, 3, "writing tables")
	tables := Tables(res)
	out := map[string]string{}
	for _, o := range outputs {
		var err error
		switch o.Name {
		case "json":
			continue
		case "reps":
			err = writeReps(r.OutDir, o.File, res)
		default:
			err = tables[o.Name].WriteParquet(r.OutDir, o.File)
		}
		if err != nil {
			return nil, fmt.Errorf("cost: %w", err)
		}
		out[o.Name] = o.File
	}
	if n := noEnergyNote(res); n != "" {
		r.Log.Warn(n)
		notes = append(notes, n)
	}
	if err := aio.WriteJSON(r.OutDir, "cost_analysis.json", summaryJSON(res, c.Opt, tables, notes)); err != nil {
		return nil, fmt.Errorf("cost: %w", err)
	}
	out["json"] = "cost_analysis.json"
	r.Progress.Report(3, 3, "done")
	return &engine.Result{Outputs: out}, nil
}

// noEnergyNote warns, when no cell has energy, that the electricity price
// (and carbon intensity) change nothing: re-pricing electricity then has
// no effect on any cost.
func noEnergyNote(res *acost.Result) string {
	for _, c := range res.Cells {
		if !math.IsNaN(c.KWh.Mean) {
			return ""
		}
	}
	if len(res.Cells) == 0 {
		return ""
	}
	return fmt.Sprintf("no cell has an energy reading: energy.usd_per_kwh (%g) and carbon_g_per_kwh have no effect on any cost; costs are infra only", res.Config.USDPerKWh)
}

// Compute groups rows into cells and prices them: the whole stage minus
// its I/O (what the benchmark measures).
func Compute(rows *runs.Rows, opt runs.Options, cfg acost.Config) (*acost.Result, error) {
	cells, err := runs.Cells(rows, opt)
	if err != nil {
		return nil, err
	}
	return acost.Analyse(cells, cfg)
}
