package report

import (
	"fmt"
	"math"
	"strings"

	"github.com/tr119/tr119/artifacts"
)

// summary writes the executive summary: the headline recommendation and
// the nuances the tables show, then the key findings per mode.
func (in *input) summary(d *doc) {
	d.h(2, "Executive summary")
	ms := modes(in.t["summary"])
	tier := tick(in.cfg.Tier)
	best := map[string]string{}
	var perMode []string
	backends := sortedDistinct(in.t["summary"], artifacts.ACBackend)
	for _, m := range ms {
		r := in.ranking(m)
		p, basis := rankedOrInfra(r)
		switch {
		case len(p) == 0:
			perMode = append(perMode, fmt.Sprintf("**%s**: no backend is priced at this tier.", m))
			continue
		case len(backends) == 1:
			note := "total"
			if basis == "infra" {
				note = "infra only: energy unavailable"
			}
			perMode = append(perMode, fmt.Sprintf("**%s**: %s costs %s per 1M tokens (%s).", m, tick(p[0].backend), usd(p[0].total), note))
			continue
		}
		best[m] = p[0].backend
		s := fmt.Sprintf("**%s**: %s is cheapest at %s per 1M tokens", m, tick(p[0].backend), usd(p[0].total))
		if basis == "infra" {
			s += " on infra cost alone (energy unavailable for every backend)"
		}
		if len(p) > 1 {
			s += fmt.Sprintf("; the next, %s, costs %s (%s)", tick(p[1].backend), usd(p[1].total), mult(p[1].total/p[0].total))
			s += significance(in.pairP(m, p[0].backend, p[1].backend))
		}
		perMode = append(perMode, s+".")
	}
	req := priced(in.requestRanking())
	reqBasis := "total"
	if rr := in.requestRanking(); len(req) == 0 && len(rr) > 0 {
		req, reqBasis = byInfra(rr), "infra (energy unavailable)"
	}
	d.h(3, "The headline")
	switch {
	case len(backends) == 1:
		d.p(fmt.Sprintf("**Only one backend was measured (%s)**: this report describes its cost, energy and carbon; it ranks nothing.", tick(backends[0])))
	case len(req) > 0:
		f := in.t["requests"]
		i := req[0].row
		d.p(fmt.Sprintf("**Default recommendation: %s.** It has the lowest %s cost for the declared request (%s prompt + %s generated tokens, %s) at %s per request, tier %s.",
			tick(req[0].backend), reqBasis, num(f.Num(artifacts.ACPromptTokens, i)), num(f.Num(artifacts.ACGenerateTokens, i)),
			f.Str(artifacts.ACGenMode, i), usd(req[0].total), tier))
	case len(ms) > 0 && best[ms[0]] != "":
		d.p(fmt.Sprintf("**Default recommendation: %s**, the cheapest backend in %s (no request-level table was given), tier %s.",
			tick(best[ms[0]]), ms[0], tier))
	default:
		d.p("No recommendation: no backend is priced at tier " + tier + ".")
	}
	if len(backends) == 1 {
		d.p("Cost per mode (mean across scenarios):")
	} else {
		d.p("Best backend per mode (mean across scenarios):")
	}
	d.list(perMode...)
	var nuance []string
	if same := sameWinner(ms, best); same != "" && len(ms) > 1 {
		nuance = append(nuance, fmt.Sprintf("%s is cheapest in every mode measured.", tick(same)))
	}
	for _, m := range ms {
		fl := in.flips(m, best[m])
		if len(fl) == 0 || best[m] == "" {
			continue
		}
		var parts []string
		for _, x := range fl {
			parts = append(parts, fmt.Sprintf("%s wins %s", tick(x.best), tick(x.scenario)))
		}
		nuance = append(nuance, fmt.Sprintf("In %s the winner flips by scenario: %s, although %s is cheapest on the mean across scenarios.",
			m, strings.Join(parts, "; "), tick(best[m])))
	}
	if s := in.energyShare(); s != "" {
		nuance = append(nuance, s)
	}
	if len(req) > 1 && len(backends) > 1 {
		nuance = append(nuance, fmt.Sprintf("At request level the most expensive priced backend, %s, costs %s the cheapest.",
			tick(req[len(req)-1].backend), mult(req[len(req)-1].total/req[0].total)))
	}
	if len(nuance) > 0 {
		d.p("Nuances found in the data:")
		d.list(nuance...)
	}
	d.h(3, "Key findings")
	d.p(fmt.Sprintf("Means across scenarios, tier %s, from %s.", tier, in.src("summary")))
	for _, m := range ms {
		d.list(in.findings(m)...)
	}
}

func significance(p float64) string {
	switch {
	case math.IsNaN(p):
		return ""
	case p < 0.05:
		return fmt.Sprintf(", a significant difference (Welch, Holm-corrected p = %s)", pval(p))
	}
	return fmt.Sprintf(", a difference not significant at 5%% (Welch, Holm-corrected p = %s)", pval(p))
}

func sameWinner(ms []string, best map[string]string) string {
	w := ""
	for _, m := range ms {
		if best[m] == "" || (w != "" && best[m] != w) {
			return ""
		}
		w = best[m]
	}
	return w
}

// energyShare states the range of the energy share of total cost at
// request level (or, without requests, in the summary).
func (in *input) energyShare() string {
	f, what := in.t["requests"], "of the request cost"
	rows := []int(nil)
	if f != nil {
		rows = f.Rows(artifacts.ACTier, in.cfg.Tier)
	} else {
		f, what = in.t["summary"], "of the total cost per 1M tokens"
		rows = f.Rows(artifacts.ACTier, in.cfg.Tier)
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	var loB, hiB string
	for _, i := range rows {
		v := f.Num(artifacts.ACEnergyShare, i)
		if math.IsNaN(v) {
			continue
		}
		if v < lo {
			lo, loB = v, f.Str(artifacts.ACBackend, i)
		}
		if v > hi {
			hi, hiB = v, f.Str(artifacts.ACBackend, i)
		}
	}
	if loB == "" {
		return ""
	}
	if lo == hi {
		return fmt.Sprintf("Energy is %s %s (%s); the rest is compute time.", pct(lo), what, tick(loB))
	}
	return fmt.Sprintf("Energy is %s (%s) to %s (%s) %s; the rest is compute time, so throughput drives the ranking at these prices.",
		pct(lo), tick(loB), pct(hi), tick(hiB), what)
}

// findings lists a mode's best, next-best and worst backends.
func (in *input) findings(mode string) []string {
	r := in.ranking(mode)
	p, basis := rankedOrInfra(r)
	what := "$/1M tokens"
	if basis == "infra" {
		what = "infra $/1M tokens (energy unavailable)"
	}
	var out []string
	if len(p) > 0 {
		out = append(out, fmt.Sprintf("%s: best mean %s: %s at %s.", mode, what, tick(p[0].backend), usd(p[0].total)))
	}
	if len(p) > 2 {
		out = append(out, fmt.Sprintf("%s: next-best: %s at %s (%s).", mode, tick(p[1].backend), usd(p[1].total), mult(p[1].total/p[0].total)))
	}
	if len(p) > 1 {
		w := p[len(p)-1]
		out = append(out, fmt.Sprintf("%s: most expensive: %s at %s (%s).", mode, tick(w.backend), usd(w.total), mult(w.total/p[0].total)))
	}
	for _, e := range r[len(p):] { // backends without a total beside priced ones
		f := in.t["summary"]
		out = append(out, fmt.Sprintf("%s: %s has no total (energy unavailable); infra alone is %s per 1M tokens.",
			mode, tick(e.backend), usd(f.Num(artifacts.ACInfra, e.row))))
	}
	return out
}
