package validate

import (
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/tr119/tr119/analysis/checks"
	"github.com/tr119/tr119/analysis/runs"
	"github.com/tr119/tr119/artifacts"
	"github.com/tr119/tr119/engine"
	"github.com/tr119/tr119/schema"
	aio "github.com/tr119/tr119/stages/internal/analysisio"
)

// Version is the kind's implementation version: bump it whenever the same
// inputs would give other output bytes.
const Version = "3"

var nan = math.NaN()

// Kind is the validate stage kind.
type Kind struct{}

// New returns the validate stage kind.
func New() engine.Kind { return Kind{} }

// Info implements engine.Kind.
func (Kind) Info() engine.KindInfo {
	return engine.KindInfo{Name: "validate", Version: Version, Deterministic: true,
		Doc: "Checks runs and priced cells (the report's 6.3 and more): degraded runs, missing repetitions, short " +
			"energy windows, throughput vs tokens/latency, token accounting, drift, negative or missing costs, tier " +
			"order, energy and carbon factors, a machine busy with other load. strict = true fails the stage on a failing check.",
		Outputs: []engine.OutputInfo{
			{Name: "table", MediaType: artifacts.ParquetMediaType, Doc: "validation/v1: one row per finding (check, severity, cell, message, value)."},
			{Name: "json", MediaType: "application/json", Doc: "overall_valid, counts by severity, the findings and notes."},
		}}
}

// Schema implements engine.Kind.
func (Kind) Schema() *schema.Body { return bodySchema() }

// Run implements engine.Kind.
func (Kind) Run(ctx context.Context, r *engine.Run) (*engine.Result, error) {
	c, err := decode(r.Config)
	if err != nil {
		return nil, fmt.Errorf("validate: %w", err)
	}
	if err := c.readCostParams(); err != nil {
		return nil, fmt.Errorf("validate: %w", err)
	}
	findings, notes, nRows, nCells, err := runsChecks(c)
	if err != nil {
		return nil, fmt.Errorf("validate: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	costFindings, costNotes, err := costChecks(c)
	if err != nil {
		return nil, fmt.Errorf("validate: %w", err)
	}
	findings = append(findings, costFindings...)
	notes = append(notes, costNotes...)
	checks.Sort(findings)
	tbl := &aio.Table{Schema: artifacts.ValidationSchema()}
	for _, f := range findings {
		tbl.Add(f.Check, f.Severity, f.Backend, f.Scenario, f.Mode, f.Message, aio.Opt(f.Value))
	}
	if err := tbl.WriteParquet(r.OutDir, "validation.parquet"); err != nil {
		return nil, fmt.Errorf("validate: %w", err)
	}
	if notes == nil {
		notes = []string{}
	}
	valid := checks.Valid(findings)
	doc := map[string]any{"schema": "validation_summary/v1", "overall_valid": valid, "counts": checks.Count(findings),
		"cells": nCells, "rows": nRows, "findings": tbl.Objects(), "notes": notes}
	if err := aio.WriteJSON(r.OutDir, "validation.json", doc); err != nil {
		return nil, fmt.Errorf("validate: %w", err)
	}
	if !valid && c.Strict {
		var fails []string
		for _, f := range findings {
			if f.Severity == checks.Fail {
				fails = append(fails, fmt.Sprintf("%s %s/%s/%s: %s", f.Check, f.Backend, f.Scenario, f.Mode, f.Message))
			}
		}
		return nil, fmt.Errorf("validate: strict: %d failing checks: %s", len(fails), strings.Join(fails, "; "))
	}
	r.Log.Info("validation", "overall_valid", valid, "findings", len(findings))
	return &engine.Result{Outputs: map[string]string{"table": "validation.parquet", "json": "validation.json"}}, nil
}

// runsChecks checks the runs tables when they are given.
func runsChecks(c config) (f []checks.Finding, notes []string, rows, cells int, err error) {
	if c.Runs == nil {
		return nil, []string{"runs checks skipped: no runs given"}, 0, 0, nil
	}
	r, notes, err := aio.ReadRuns(c.Runs, aio.Need{Opt: c.Opt, Samples: true, Usage: true})
	if err != nil {
		return nil, notes, 0, 0, err
	}
	cs, err := runs.Cells(r, c.Opt)
	if err != nil {
		return nil, notes, 0, 0, err
	}
	f = checks.Runs(r, cs, c.Checks)
	cores, err := aio.CPUCores(c.Environments)
	if err != nil {
		return nil, notes, 0, 0, err
	}
	busy, skipped := checks.Busy(checks.UsageOf(r), cores)
	switch skipped {
	case "":
		f = append(f, checks.BusyFindings(busy)...)
	case checks.SkippedNoCores:
		notes = append(notes, "busy-machine check skipped: "+skipped+" (pass benchmarks = stage.benchmark.NAME)")
	default:
		notes = append(notes, "busy-machine check skipped: "+skipped)
	}
	return f, notes, r.Len(), len(cs), nil
}

// costChecks runs the cost checks when both cost tables are available.
func costChecks(c config) ([]checks.Finding, []string, error) {
	if c.CostCells == nil || c.CostTiers == nil {
		if c.CostCells != nil || c.CostTiers != nil {
			return nil, nil, fmt.Errorf("cost checks need both cost_cells and cost_tiers")
		}
		return nil, []string{"cost checks skipped: set cost_cells and cost_tiers to the cost stage's cells and cell_tiers"}, nil
	}
	for _, a := range []*engine.Artifact{c.CostCells, c.CostTiers} {
		if !a.Available {
			return nil, []string{fmt.Sprintf("cost checks skipped: %s unavailable (%s)", a.Stage, a.Reason)}, nil
		}
	}
	cells, err := readCostCells(*c.CostCells)
	if err != nil {
		return nil, nil, err
	}
	tiers, err := readCostTiers(*c.CostTiers)
	if err != nil {
		return nil, nil, err
	}
	return checks.Costs(cells, tiers, c.Factors), nil, nil
}
