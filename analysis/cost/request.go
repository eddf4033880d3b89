package cost

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// RequestCost is one row of cost_requests/v1: one request of the mix,
// priced in one tier. Per1M fields are per 1M total (prompt + generated)
// tokens.
type RequestCost struct {
	Backend, Tier                      string
	PrefillS, GenerateS                float64
	Infra, Energy, Total, KWh, CarbonG float64
	Infra1M, Energy1M, Total1M         float64
	EnergyShare, Carbon1M, Multiple    float64
	SavingsVsReference                 float64
}

// requests composes each backend's prefill and generation-mode aggregates
// into the request mix (report 4.4): t = tokens * seconds_per_1M / 1e6,
// energy = tokens * kWh_per_1M / 1e6, infra = (t_p + t_g)/3600 * rate.
// Backends lacking a mode the mix needs are left out.
func requests(aggs []agg, cfg Config) ([]RequestCost, error) {
	rq := cfg.Request
	total := float64(rq.PromptTokens + rq.GenerateTokens)
	if total == 0 {
		return nil, nil
	}
	type pair struct{ prefill, gen *agg }
	by := map[string]*pair{}
	for i := range aggs {
		a := &aggs[i]
		p := by[a.backend]
		if p == nil {
			p = &pair{}
			by[a.backend] = p
		}
		switch a.mode {
		case "prefill":
			p.prefill = a
		case rq.GenerationMode:
			p.gen = a
		}
	}
	var out []RequestCost
	for backend, p := range by {
		if (rq.PromptTokens > 0 && p.prefill == nil) || (rq.GenerateTokens > 0 && p.gen == nil) {
			continue
		}
		var tp, tg, kwh float64
		class := ""
		if rq.PromptTokens > 0 {
			tp = float64(rq.PromptTokens) * p.prefill.seconds / 1e6
			kwh += float64(rq.PromptTokens) * p.prefill.kwh / 1e6
			class = p.prefill.class
		}
		if rq.GenerateTokens > 0 {
			tg = float64(rq.GenerateTokens) * p.gen.seconds / 1e6
			kwh += float64(rq.GenerateTokens) * p.gen.kwh / 1e6
			if class != "" && class != p.gen.class {
				return nil, fmt.Errorf("backend %q: prefill and %s run on device classes %q and %q", backend, rq.GenerationMode, class, p.gen.class)
			}
			class = p.gen.class
		}
		for _, t := range cfg.Tiers {
			rate, err := t.Rate(class)
			if err != nil {
				return nil, fmt.Errorf("backend %q: %w", backend, err)
			}
			r := RequestCost{Backend: backend, Tier: t.Name, PrefillS: tp, GenerateS: tg, KWh: kwh}
			r.Infra = (tp + tg) / 3600 * rate
			r.Energy = kwh * cfg.USDPerKWh
			r.Total = r.Infra + r.Energy
			r.CarbonG = kwh * cfg.CarbonGPerKWh
			r.Infra1M, r.Energy1M, r.Total1M = r.Infra/total*1e6, r.Energy/total*1e6, r.Total/total*1e6
			r.Carbon1M = r.CarbonG / total * 1e6
			r.EnergyShare = share(r.Energy, r.Total)
			out = append(out, r)
		}
	}
	tierRank := tierIndex(cfg)
	slices.SortFunc(out, func(a, b RequestCost) int {
		return cmp.Or(cmp.Compare(tierRank[a.Tier], tierRank[b.Tier]), compareCost(a.Total, b.Total), cmp.Compare(a.Backend, b.Backend))
	})
	ref := map[string]float64{}
	best := map[string]float64{}
	for _, r := range out {
		if r.Tier == cfg.ReferenceTier {
			ref[r.Backend] = r.Total
		}
		if _, ok := best[r.Tier]; !ok {
			best[r.Tier] = r.Total
		}
	}
	for i := range out {
		out[i].Multiple = out[i].Total / best[out[i].Tier]
		out[i].SavingsVsReference = 1 - out[i].Total/ref[out[i].Backend]
	}
	return out, nil
}

// TCO is one row of cost_tco/v1.
type TCO struct {
	Backend, Tier                    string
	TokensPerMonth, Months, Requests float64
	USDPerMonth, USDTotal, USDPer1M  float64
}

// tco scales each request cost to the declared volume (report A.2):
// requests/month = tokens/month / (prompt + generated tokens).
func tco(reqs []RequestCost, cfg Config) []TCO {
	per := float64(cfg.Request.PromptTokens + cfg.Request.GenerateTokens)
	out := make([]TCO, 0, len(reqs))
	for _, r := range reqs {
		n := cfg.TokensPerMonth / per
		out = append(out, TCO{Backend: r.Backend, Tier: r.Tier, TokensPerMonth: cfg.TokensPerMonth,
			Months: cfg.Months, Requests: n, USDPerMonth: r.Total * n,
			USDTotal: r.Total * n * cfg.Months, USDPer1M: r.Total1M})
	}
	return out
}

// Saving is one row of cost_savings/v1: choosing Backend instead of
// Versus under the TCO volume saves these amounts (negative: costs more).
type Saving struct {
	Tier, Backend, Versus              string
	PerMonth, PerYear, Total, Fraction float64
}

// savings compares every ordered pair of backends within each tier;
// pairs with an unknown cost, or compared with a free one (no fraction:
// the energy_only tier at a zero energy price, a zero volume), are left
// out.
func savings(t []TCO) []Saving {
	var out []Saving
	for _, a := range t {
		for _, b := range t {
			if a.Tier != b.Tier || a.Backend == b.Backend || math.IsNaN(a.USDPerMonth) || !(b.USDPerMonth > 0) {
				continue
			}
			d := b.USDPerMonth - a.USDPerMonth
			out = append(out, Saving{Tier: a.Tier, Backend: a.Backend, Versus: b.Backend,
				PerMonth: d, PerYear: d * 12, Total: d * a.Months, Fraction: share(d, b.USDPerMonth)})
		}
	}
	return out
}
