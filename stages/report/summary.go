package report

import (
	"fmt"
	"math"
	"slices"
	"strings"

	acost "github.com/tr119/tr119/analysis/cost"
	"github.com/tr119/tr119/artifacts"
)

// modeResult is a mode's ranking with the test of its first two.
type modeResult struct {
	mode string
	r    ranking
	v    verdict // best versus next; zero when fewer than 2 backends
}

// summary writes the executive summary: the headline (a recommendation
// only where a test supports it), the per-mode rankings on a like-for-like
// basis with the bounds missing energy implies, winner flips, measurement
// quality, then key findings that add to the headline.
func (in *input) summary(d *doc) {
	d.section("Executive summary")
	backends := sortedDistinct(in.t["summary"], artifacts.ACBackend)
	var ms []modeResult
	for _, m := range modes(in.t["summary"]) {
		mr := modeResult{mode: m, r: in.modeRanking(m)}
		if len(mr.r.entries) > 1 {
			mr.v = in.pairVerdict(m, mr.r.entries[0].backend, mr.r.entries[1].backend)
		}
		ms = append(ms, mr)
	}
	issues := in.qualityIssues()
	d.subsection("Headline")
	in.headline(d, backends, ms, issues)
	if len(backends) > 1 {
		d.p(fmt.Sprintf("Per mode, mean across scenarios, tier %s:", tick(in.tier)))
	} else {
		d.p(fmt.Sprintf("Cost per mode, mean across scenarios, tier %s:", tick(in.tier)))
	}
	var lines []string
	for _, mr := range ms {
		lines = append(lines, in.modeLine(mr, len(backends)))
	}
	d.list(lines...)
	if b := in.bounds(ms); len(b) > 0 {
		d.p("Backends without an energy reading, against the cheapest measured total:")
		d.list(b...)
	}
	if fl := in.flipLines(ms); len(fl) > 0 {
		d.p("**The winner changes**:")
		d.list(fl...)
	}
	d.subsection("Measurement quality")
	switch {
	case len(issues) > 0:
		var texts []string
		for _, x := range issues {
			texts = append(texts, x.text)
		}
		d.list(texts...)
	default:
		d.p(in.noQualityIssues())
	}
	d.subsection("Key findings")
	d.list(in.keyFindings(ms)...)
}

// noQualityIssues says which problems were looked for and not found, and
// which could not be looked for, and why.
func (in *input) noQualityIssues() string {
	var unchecked, none []string
	if len(in.valids) == 0 {
		unchecked = append(unchecked, "No validation table was given to the report: drift and outlier rows were not checked.")
	} else {
		none = append(none, "drift beyond the threshold", "outlier rows")
	}
	if in.busySkipped != "" {
		unchecked = append(unchecked, in.busyNotChecked())
	} else {
		none = append(none, "busy machine")
	}
	none = append(none, "modeled energy")
	return strings.Join(append(unchecked, "No "+joinOr(none)+" was found in the data given."), " ")
}

// busyNotChecked says why the busy-machine check could not run; the
// summary and the limitations say it in the same words.
func (in *input) busyNotChecked() string {
	return "Whether other load shared the machine was not checked: " + in.busySkipped + "."
}

// headline states the recommendation, or that there is no clear winner,
// naming the candidates and what would settle it.
func (in *input) headline(d *doc, backends []string, ms []modeResult, issues []issue) {
	tier := tick(in.tier)
	if len(backends) == 1 {
		d.p(fmt.Sprintf("**Only one backend was measured (%s)**: this report describes its cost, energy and carbon; it ranks nothing.", tick(backends[0])))
		return
	}
	req := in.requestRanking()
	var best, next entry
	what := ""
	relevant := ms
	switch {
	case len(req.entries) > 1:
		f := in.t["requests"]
		i := req.entries[0].row
		gm := f.Str(artifacts.ACGenMode, i)
		best, next = req.entries[0], req.entries[1]
		what = fmt.Sprintf("the lowest %s for the declared request (%s prompt + %s generated tokens, %s): %s, against %s for %s",
			basisWords(req.basis), count(f.Num(artifacts.ACPromptTokens, i)), count(f.Num(artifacts.ACGenerateTokens, i)), gm,
			usdReq(best.cost), usdReq(next.cost), tick(next.backend))
		relevant = slices.DeleteFunc(slices.Clone(ms), func(m modeResult) bool { return m.mode != "prefill" && m.mode != gm })
	case len(ms) > 0 && len(ms[0].r.entries) > 1:
		best, next = ms[0].r.entries[0], ms[0].r.entries[1]
		what = fmt.Sprintf("the lowest %s in %s (no request-level table was given): %s per 1M tokens, against %s for %s",
			basisWords(ms[0].r.basis), ms[0].mode, usd(best.cost), usd(next.cost), tick(next.backend))
		relevant = ms[:1]
	default:
		d.p("No recommendation: fewer than two backends are priced at tier " + tier + ".")
		return
	}
	// Clear only when the backend also wins every mode the request is
	// made of, each by a significant difference.
	clear, settle := true, []string{}
	var doubts []string
	for _, m := range relevant {
		if len(m.r.entries) < 2 {
			continue
		}
		if m.r.entries[0].backend != best.backend {
			clear = false
			doubts = append(doubts, fmt.Sprintf("%s is cheapest in %s", tick(m.r.entries[0].backend), m.mode))
			continue
		}
		if !m.v.significant {
			clear = false
			if m.v.tested {
				doubts = append(doubts, fmt.Sprintf("in %s its lead over %s is not significant (%s)", m.mode, tick(m.r.entries[1].backend), m.v.detail()))
			} else {
				doubts = append(doubts, fmt.Sprintf("in %s its lead over %s cannot be tested (%s)", m.mode, tick(m.r.entries[1].backend), m.v.detail()))
			}
			settle = append(settle, m.v.settle)
		}
	}
	// Measurement problems that touch a candidate lower the confidence.
	var labels, settleQ, touched []string
	for _, x := range issues {
		hit := false
		for _, b := range x.backends {
			if b == best.backend || b == next.backend {
				hit = true
				touched = append(touched, b)
			}
		}
		if hit {
			labels = append(labels, x.label)
			settleQ = append(settleQ, x.settle)
		}
	}
	slices.Sort(touched)
	caveat := ""
	if ls := dedupe(labels); len(ls) > 0 {
		verb := "affects" // "drift affects", but "outlier rows affect"
		if len(ls) > 1 || strings.HasSuffix(ls[0], "s") {
			verb = "affect"
		}
		caveat = fmt.Sprintf(" **Confidence is lower**: %s %s %s (section 1.2); what would make it firm: %s.",
			joinAnd(ls), verb, joinTicks(dedupe(touched)), joinAnd(dedupe(settleQ)))
	}
	if clear {
		scope := ""
		for _, m := range relevant {
			if m.v.perScenario {
				scope = " in every scenario measured (" + joinTicks(sortedDistinct(in.t["cells"], artifacts.ACScenario)) + "); other workloads may differ"
			}
		}
		d.p(fmt.Sprintf("**Recommendation: %s** (tier %s). It has %s; in %s it is significantly cheaper than the next backend%s.%s",
			tick(best.backend), tier, what, joinAnd(modeNames(relevant)), scope, caveat))
		return
	}
	cands := []string{best.backend, next.backend}
	for _, m := range relevant {
		for k, e := range m.r.entries {
			if (k == 0 || (k == 1 && !m.v.significant)) && !slices.Contains(cands, e.backend) {
				cands = append(cands, e.backend)
			}
		}
	}
	var unmeasured []string
	for _, e := range append(req.missing(), missingOf(relevant)...) {
		if slices.Contains(cands, e.backend) && !slices.Contains(unmeasured, e.backend) {
			unmeasured = append(unmeasured, e.backend)
		}
	}
	if len(unmeasured) > 0 {
		slices.Sort(unmeasured)
		settle = append(settle, "energy readings for "+joinTicks(unmeasured))
	}
	for _, m := range relevant {
		if len(m.r.entries) > 1 && len(in.flips(m.mode, m.r.entries[0].backend)) > 0 {
			settle = append([]string{"the workload mix you serve (set the cost stage's `weights`, since the winner changes with the scenario)"}, settle...)
			break
		}
	}
	settle = append(settle, settleQ...)
	d.p(fmt.Sprintf("**No clear winner** (tier %s). Candidates: %s. %s has %s, but %s. What would settle it: %s.",
		tier, joinTicks(cands), tick(best.backend), what, joinAnd(doubts), joinAnd(dedupe(settle))))
	if caveat != "" {
		d.p(strings.TrimSpace(caveat))
	}
}

func modeNames(ms []modeResult) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.mode)
	}
	return out
}

func missingOf(ms []modeResult) []entry {
	var out []entry
	for _, m := range ms {
		out = append(out, m.r.missing()...)
	}
	return out
}

func dedupe(xs []string) []string {
	var out []string
	for _, x := range xs {
		if x != "" && !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

// modeLine is one mode's ranking in a sentence.
func (in *input) modeLine(mr modeResult, nBackends int) string {
	es := mr.r.entries
	if len(es) == 0 {
		return fmt.Sprintf("**%s**: no backend is priced at this tier.", mr.mode)
	}
	if nBackends == 1 {
		s := fmt.Sprintf("**%s**: %s costs %s per 1M tokens", mr.mode, tick(es[0].backend), usd(es[0].cost))
		if mr.r.basis == acost.BasisInfra {
			s += " (infra only: energy unavailable)"
		}
		return s + "."
	}
	basis := "ranked on total cost"
	if mr.r.basis == acost.BasisInfra {
		basis = "ranked on infra cost for every backend, energy unavailable for " + joinTicks(names(mr.r.missing()))
		if len(mr.r.missing()) == len(es) {
			basis = "ranked on infra cost: energy unavailable for every backend"
		}
	}
	s := fmt.Sprintf("**%s** (%s): %s at %s per 1M tokens", mr.mode, basis, tick(es[0].backend), usd(es[0].cost))
	if len(es) > 1 {
		s += fmt.Sprintf("; next %s at %s (%s), %s", tick(es[1].backend), usd(es[1].cost), mult(es[1].cost/es[0].cost), mr.v.words())
		if mr.v.tested && !mr.v.significant {
			s += " — no clear winner between them"
		}
	}
	return s + "."
}

func names(es []entry) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.backend)
	}
	return out
}

// bounds states, for each backend without energy, what its missing
// energy could change: it stays cheaper than the cheapest measured total
// unless it draws more than N W, or costs more on infra alone.
func (in *input) bounds(ms []modeResult) []string {
	price, ok := in.usdPerKWh()
	var out []string
	for _, m := range ms {
		var ref *entry
		for i, e := range m.r.entries {
			if !math.IsNaN(e.total) && (ref == nil || e.total < ref.total) {
				ref = &m.r.entries[i]
			}
		}
		if ref == nil {
			continue
		}
		for _, e := range m.r.missing() {
			switch {
			case e.infra >= ref.total:
				out = append(out, fmt.Sprintf("%s: %s costs more than %s on infra alone (%s against a total of %s per 1M tokens), whatever its energy.",
					m.mode, tick(e.backend), tick(ref.backend), usd(e.infra), usd(ref.total)))
			case !ok:
			case price == 0:
				out = append(out, fmt.Sprintf("%s: %s is cheaper than %s (%s against %s per 1M tokens) whatever its power: electricity is priced at $0.",
					m.mode, tick(e.backend), tick(ref.backend), usd(e.infra), usd(ref.total)))
			default:
				w := (ref.total - e.infra) / price * 3.6e6 / e.seconds
				out = append(out, fmt.Sprintf("%s: %s is cheaper than %s's total (%s) unless it draws more than %s W on average (its infra cost is %s per 1M tokens; electricity at $%s per kWh).",
					m.mode, tick(e.backend), tick(ref.backend), usd(ref.total), num(w), usd(e.infra), num(price)))
			}
		}
	}
	return out
}

// usdPerKWh is the electricity price the cost stage applied.
func (in *input) usdPerKWh() (float64, bool) {
	if cfg, ok := in.costJSON["config"].(map[string]any); ok {
		if v, ok := cfg["usd_per_kwh"].(float64); ok {
			return v, true
		}
	}
	f := in.t["summary"]
	for i := 0; i < f.Len; i++ {
		if e, k := f.Num(artifacts.ACEnergyUSD, i), f.Num(artifacts.ACEnergy, i); k > 0 && !math.IsNaN(e) {
			return e / k, true
		}
	}
	return 0, false
}

// flipLines are the winner changes across scenarios and modes.
func (in *input) flipLines(ms []modeResult) []string {
	var out []string
	winners := map[string][]string{}
	for _, m := range ms {
		if len(m.r.entries) < 2 {
			continue
		}
		best := m.r.entries[0].backend
		winners[best] = append(winners[best], m.mode)
		if fl := in.flips(m.mode, best); len(fl) > 0 {
			out = append(out, fmt.Sprintf("In %s, %s, although %s is cheapest on the mean across scenarios.", m.mode, joinAnd(mergeFlips(fl)), tick(best)))
		}
	}
	if len(winners) > 1 {
		var parts []string
		for _, b := range sortedMapKeys(winners) {
			parts = append(parts, fmt.Sprintf("%s in %s", tick(b), joinAnd(winners[b])))
		}
		out = append([]string{"The cheapest backend depends on the mode: " + joinAnd(parts) + "."}, out...)
	}
	return out
}

// keyFindings adds to the headline: speed spread, energy share, the
// request-level spread, carbon, and the tier sensitivity.
func (in *input) keyFindings(ms []modeResult) []string {
	var out []string
	f := in.t["summary"]
	for _, m := range ms {
		var fast, slow entry
		for _, e := range m.r.entries {
			if fast.backend == "" || e.seconds < fast.seconds {
				fast = e
			}
			if slow.backend == "" || e.seconds > slow.seconds {
				slow = e
			}
		}
		if fast.backend != "" && fast.backend != slow.backend {
			out = append(out, fmt.Sprintf("%s: %s is the fastest at %s tok/s, %s the slowest %s (%s tok/s).", m.mode, tick(fast.backend),
				num(f.Num(artifacts.ACEffThr, fast.row)), mult(slow.seconds/fast.seconds), tick(slow.backend), num(f.Num(artifacts.ACEffThr, slow.row))))
		}
	}
	if s := in.energyShare(); s != "" {
		out = append(out, s)
	}
	if req := in.requestRanking(); len(req.entries) > 1 {
		last := req.entries[len(req.entries)-1]
		out = append(out, fmt.Sprintf("Per request, the most expensive backend, %s, costs %s the cheapest (%s).",
			tick(last.backend), mult(last.cost/req.entries[0].cost), basisWords(req.basis)))
	}
	if s := in.carbonFinding(ms); s != "" {
		out = append(out, s)
	}
	out = append(out, in.tierFindings()...)
	if len(out) == 0 {
		out = append(out, "Nothing beyond the headline: one backend and one mode.")
	}
	return out
}

// carbonFinding names the lowest-carbon backend where it is not the
// cheapest. Where some backends of a mode have no energy reading, their
// carbon is unknown: the finding then names the lowest among those with a
// reading and the ones without, never calling it the lowest of all.
func (in *input) carbonFinding(ms []modeResult) string {
	f := in.t["summary"]
	var differs, partial []string
	for _, m := range ms {
		best, bc := "", math.Inf(1)
		var unknown []string
		for _, e := range m.r.entries {
			c := f.Num(artifacts.ACCarbon, e.row)
			switch {
			case math.IsNaN(c):
				unknown = append(unknown, e.backend)
			case c < bc:
				best, bc = e.backend, c
			}
		}
		if best == "" || len(m.r.entries) < 2 {
			continue
		}
		switch {
		case len(unknown) > 0:
			partial = append(partial, fmt.Sprintf("in %s %s (%s gCO2e per 1M tokens; %s unmeasured)", m.mode, tick(best), num(bc), joinTicks(unknown)))
		case best != m.r.entries[0].backend:
			differs = append(differs, fmt.Sprintf("in %s %s (%s gCO2e per 1M tokens)", m.mode, tick(best), num(bc)))
		}
	}
	var out []string
	if len(differs) > 0 {
		out = append(out, "The lowest-carbon backend is not the cheapest: "+joinAnd(differs)+".")
	}
	if len(partial) > 0 {
		out = append(out, "Lowest carbon where energy was measured: "+joinAnd(partial)+".")
	}
	return strings.Join(out, " ")
}

// tierFindings says whether the cheapest backend depends on the tier.
func (in *input) tierFindings() []string {
	f := in.t["summary"]
	tiers := f.Distinct(artifacts.ACTier)
	if len(tiers) < 2 || len(sortedDistinct(f, artifacts.ACBackend)) < 2 {
		return nil
	}
	var same []string
	depends := map[string][]string{} // winners -> modes
	for _, m := range modes(f) {
		var order []string
		for _, tr := range tiers {
			for _, i := range f.Rows(artifacts.ACMode, m, artifacts.ACTier, tr) {
				if f.Num(artifacts.ACRank, i) == 1 && !slices.Contains(order, f.Str(artifacts.ACBackend, i)) {
					order = append(order, f.Str(artifacts.ACBackend, i))
				}
			}
		}
		switch {
		case len(order) == 1:
			same = append(same, m)
		case len(order) > 1:
			k := joinTicks(order)
			depends[k] = append(depends[k], m)
		}
	}
	var out []string
	for _, k := range sortedMapKeys(depends) {
		out = append(out, fmt.Sprintf("In %s the cheapest backend depends on the pricing tier (%s; section 8).", joinAnd(depends[k]), k))
	}
	if len(same) > 0 {
		out = append(out, fmt.Sprintf("The cheapest backend is the same under every pricing tier in %s.", joinAnd(same)))
	}
	return out
}

// energyShare states the range of the energy share of total cost at
// request level (or, without requests, in the summary).
func (in *input) energyShare() string {
	f, what := in.t["requests"], "of the request cost"
	if f == nil {
		f, what = in.t["summary"], "of the total cost per 1M tokens"
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	var loB, hiB string
	unmeasured := 0
	for _, i := range f.Rows(artifacts.ACTier, in.tier) {
		v := f.Num(artifacts.ACEnergyShare, i)
		if math.IsNaN(v) {
			unmeasured++
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
	switch {
	case loB == hiB:
		return fmt.Sprintf("Energy is %s %s for %s, the only backend with an energy reading; the rest is compute time.", pct(lo), what, tick(loB))
	case pct(lo) == pct(hi):
		return fmt.Sprintf("Energy is %s %s for every backend with an energy reading; the rest is compute time.", pct(lo), what)
	}
	if unmeasured > 0 {
		what += " for the backends with an energy reading"
	}
	return fmt.Sprintf("Energy is %s (%s) to %s (%s) %s; the rest is compute time, so throughput drives the ranking at these prices.",
		pct(lo), tick(loB), pct(hi), tick(hiB), what)
}
