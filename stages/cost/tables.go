package cost

import (
	"github.com/apache/arrow-go/v18/arrow"

	acost "github.com/tr119/tr119/analysis/cost"
	"github.com/tr119/tr119/analysis/runs"
	"github.com/tr119/tr119/artifacts"
	aio "github.com/tr119/tr119/stages/internal/analysisio"
)

// Tables turns a result into the stage's output tables, by output name.
func Tables(res *acost.Result) map[string]*aio.Table {
	opt := aio.Opt
	t := func(s *arrow.Schema) *aio.Table { return &aio.Table{Schema: s} }
	cells, tiers, sum := t(artifacts.CostCellsSchema()), t(artifacts.CostTiersSchema()), t(artifacts.CostSummarySchema())
	win, req, tco, sav := t(artifacts.CostWinnersSchema()), t(artifacts.CostRequestsSchema()), t(artifacts.CostTCOSchema()), t(artifacts.CostSavingsSchema())
	for _, c := range res.Cells {
		cells.Add(c.Backend, c.Scenario, c.Mode, c.DeviceClass, c.BatchSize, c.SeqLen, c.N, c.Rows, c.Excluded,
			c.TokensPerRep, c.Throughput.Mean, opt(c.Throughput.Low), opt(c.Throughput.High), c.EffectiveThroughput,
			c.Seconds.Mean, opt(c.Seconds.Low), opt(c.Seconds.High), c.Hours, opt(c.PowerW),
			opt(c.KWh.Mean), opt(c.KWh.Low), opt(c.KWh.High), opt(c.Carbon.Mean), opt(c.Carbon.Low), opt(c.Carbon.High),
			c.Domains, c.Source, c.Reason)
	}
	for _, x := range res.CellTiers {
		c := &res.Cells[x.Cell]
		tiers.Add(c.Backend, c.Scenario, c.Mode, c.DeviceClass, x.Tier, x.USDPerHour, x.Infra, opt(x.Energy),
			opt(x.Total.Mean), opt(x.Total.Low), opt(x.Total.High), opt(x.EnergyShare))
	}
	for _, s := range res.Summary {
		sum.Add(s.Mode, s.Backend, s.Tier, s.DeviceClass, s.Aggregate, s.Scenarios, s.Seconds, s.EffectiveThroughput,
			opt(s.PowerW), opt(s.KWh), opt(s.Carbon), s.USDPerHour, s.Infra, opt(s.Energy), opt(s.Total),
			opt(s.EnergyShare), opt(s.Multiple), s.Rank, s.RankBasis)
	}
	for _, w := range res.Winners {
		win.Add(w.Mode, w.Scenario, w.Tier, w.Basis, w.Best, w.BestTotal, w.RunnerUp, opt(w.RunnerUpTotal), opt(w.RunnerUpX))
	}
	rq := res.Config.Request
	for _, r := range res.Requests {
		req.Add(r.Backend, r.Tier, rq.PromptTokens, rq.GenerateTokens, rq.GenerationMode, r.PrefillS, r.GenerateS,
			r.Infra, opt(r.Energy), opt(r.Total), opt(r.KWh), opt(r.CarbonG), r.Infra1M, opt(r.Energy1M), opt(r.Total1M),
			opt(r.EnergyShare), opt(r.Carbon1M), opt(r.Multiple), res.Config.ReferenceTier, opt(r.SavingsVsReference))
	}
	for _, x := range res.TCO {
		tco.Add(x.Backend, x.Tier, x.TokensPerMonth, x.Months, x.Requests, opt(x.USDPerMonth), opt(x.USDTotal), opt(x.USDPer1M))
	}
	for _, s := range res.Savings {
		sav.Add(s.Tier, s.Backend, s.Versus, s.PerMonth, s.PerYear, s.Total, s.Fraction)
	}
	for _, t := range []*aio.Table{tiers, sum, win, req, tco, sav} {
		t.Schema = artifacts.WithMetadata(t.Schema, artifacts.HeadlineTierKey, res.Config.HeadlineTier)
	}
	return map[string]*aio.Table{"cells": cells, "cell_tiers": tiers, "summary": sum, "winners": win,
		"requests": req, "tco": tco, "savings": sav}
}

// summaryJSON is cost_analysis.json: the configuration as applied and the
// small tables (cells stay in Parquet).
func summaryJSON(res *acost.Result, ro runs.Options, tables map[string]*aio.Table, notes []string) map[string]any {
	cfg := res.Config
	var tiers []map[string]any
	for _, t := range cfg.Tiers {
		m := map[string]any{"name": t.Name}
		if t.ByClass != nil {
			m["usd_per_hour_by_class"] = t.ByClass
		} else {
			m["usd_per_hour"] = t.All
		}
		tiers = append(tiers, m)
	}
	if notes == nil {
		notes = []string{}
	}
	return map[string]any{
		"schema": "cost_analysis/v1",
		"config": map[string]any{
			"tiers": tiers, "usd_per_kwh": cfg.USDPerKWh, "carbon_g_per_kwh": cfg.CarbonGPerKWh,
			"request": map[string]any{"prompt_tokens": cfg.Request.PromptTokens, "generate_tokens": cfg.Request.GenerateTokens,
				"generation_mode": cfg.Request.GenerationMode},
			"tco":       map[string]any{"tokens_per_month": cfg.TokensPerMonth, "months": cfg.Months},
			"weights":   cfg.Weights,
			"aggregate": cfg.Aggregate, "reference_tier": cfg.ReferenceTier, "confidence": cfg.Level,
			"headline_tier": cfg.HeadlineTier,
			// The validate stage reads the energy factors and policy from
			// here, so that it checks what the cost stage used.
			"energy_policy": ro.Policy, "energy_basis": ro.Basis,
		},
		"notes":    notes,
		"summary":  tables["summary"].Objects(),
		"winners":  tables["winners"].Objects(),
		"requests": tables["requests"].Objects(),
		"tco":      tables["tco"].Objects(),
		"savings":  tables["savings"].Objects(),
	}
}
