package plot

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	acost "github.com/tr119/tr119/analysis/cost"

	"github.com/tr119/tr119/artifacts"
	"github.com/tr119/tr119/internal/frame"
)

// series is one legend entry: a value (with its CI, NaN when unknown) per
// category of its chart.
type series struct {
	Name        string
	Val, Lo, Hi []float64
	X, XLo, XHi []float64 // scatter only: the x value and its CI
	Labels      []string  // scatter only: the point's category
	Infra       []float64 // scatter only: the infra cost, for when a total is unknown
	InfraLo     []float64 // scatter only: its CI (from time per 1M)
	InfraHi     []float64
}

// chart is one figure before drawing.
type chart struct {
	ID, Title, Mode, Metric string
	XLabel, YLabel          string
	Scatter                 bool
	Cats                    []string
	Series                  []series
	// Source is the sha256 of the artifact the numbers came from;
	// SourceName its table ("cost_cell_tiers").
	Source, SourceName string
	// Caption says what is shown, with which error bars, and notes
	// (backends without energy).
	Caption string
	// Colors maps a series name to its palette index: one colour per
	// backend across every figure (tiers get greys).
	Colors map[string]int
	// Greys draws the series in grey shades (tiers, not backends).
	Greys bool
}

// missing counts the values of the chart that are NaN (drawn as n/a).
func (c *chart) missing() int {
	n := 0
	for _, s := range c.Series {
		for _, v := range s.Val {
			if math.IsNaN(v) {
				n++
			}
		}
	}
	return n
}

// metric describes one bar chart drawn from a per-cell table.
type metric struct {
	id, title, ylabel string
	val, lo, hi       string
}

var cellMetrics = []metric{
	{"throughput", "Throughput", "tokens / s", artifacts.ACThroughput, artifacts.ACThrCILow, artifacts.ACThrCIHigh},
	{"energy_per_1m", "Energy per 1M tokens", "kWh per 1M tokens", artifacts.ACEnergy, artifacts.ACEnergyCILow, artifacts.ACEnergyCIHi},
	{"carbon_per_1m", "Carbon per 1M tokens", "gCO2e per 1M tokens", artifacts.ACCarbon, artifacts.ACCarbonCILow, artifacts.ACCarbonCIHi},
}

// modes returns the modes of a table in the report's order.
func modes(f *frame.Frame) []string {
	out := f.Distinct(artifacts.ACMode)
	order := map[string]int{"prefill": 0, "generate": 1, "decode": 2}
	sort.SliceStable(out, func(i, j int) bool {
		oi, ok := order[out[i]]
		if !ok {
			oi = 3
		}
		oj, ok := order[out[j]]
		if !ok {
			oj = 3
		}
		if oi != oj {
			return oi < oj
		}
		return out[i] < out[j]
	})
	return out
}

func sorted(xs []string) []string {
	out := append([]string(nil), xs...)
	sort.Strings(out)
	return out
}

// bars builds a grouped bar chart: categories from catCol, one series per
// serCol value, over the rows that match.
func bars(f *frame.Frame, catCol, serCol string, m metric, match ...string) ([]string, []series) {
	rows := f.Rows(match...)
	catSet, serSet := map[string]bool{}, map[string]bool{}
	for _, i := range rows {
		catSet[f.Str(catCol, i)] = true
		serSet[f.Str(serCol, i)] = true
	}
	cats, names := keys(catSet), keys(serSet)
	if catCol == artifacts.ACTier || serCol == artifacts.ACTier {
		// Tiers keep the table's declaration order, not the alphabet.
		order := f.Distinct(artifacts.ACTier)
		if catCol == artifacts.ACTier {
			cats = filter(order, catSet)
		} else {
			names = filter(order, serSet)
		}
	}
	ss := make([]series, len(names))
	for k, n := range names {
		s := series{Name: n, Val: nans(len(cats)), Lo: nans(len(cats)), Hi: nans(len(cats))}
		for _, i := range rows {
			if f.Str(serCol, i) != n {
				continue
			}
			j := index(cats, f.Str(catCol, i))
			s.Val[j], s.Lo[j], s.Hi[j] = f.Num(m.val, i), f.Num(m.lo, i), f.Num(m.hi, i)
		}
		ss[k] = s
	}
	return cats, ss
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func filter(order []string, set map[string]bool) []string {
	var out []string
	for _, x := range order {
		if set[x] {
			out = append(out, x)
		}
	}
	return out
}

func nans(n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = math.NaN()
	}
	return out
}

func index(xs []string, x string) int {
	for i, v := range xs {
		if v == x {
			return i
		}
	}
	return -1
}

// inputs are the tables the stage reads and their hashes.
type inputs struct {
	cells, tiers, summary, stats *frame.Frame
	cellsSHA, tiersSHA           string
	summarySHA, statsSHA         string
}

// charts builds every figure of every mode present, in a stable order.
func charts(in inputs, tier string) ([]chart, error) {
	var out []chart
	colors := map[string]int{}
	for i, b := range sorted(in.cells.Distinct(artifacts.ACBackend)) {
		colors[b] = i
	}
	for _, mode := range modes(in.cells) {
		unmeasured := noEnergy(in.cells, mode)
		if in.stats != nil {
			m := metric{"latency", "Mean latency", "ms per call", artifacts.ASMean, artifacts.ASCILow, artifacts.ASCIHigh}
			cats, ss := bars(in.stats, artifacts.ACScenario, artifacts.ACBackend, m, artifacts.ACMode, mode, artifacts.ASMetric, "latency_ms")
			out = append(out, chart{ID: mode + "_latency", Title: "Mean latency (" + mode + ")", Mode: mode, Metric: "latency_ms",
				XLabel: "scenario", YLabel: m.ylabel, Cats: cats, Series: ss, Source: in.statsSHA, SourceName: "stats_cells",
				Caption: "Mean latency per call (ms) in " + mode + " by scenario, one bar per backend; whiskers: 95% CI over repetitions."})
		}
		for _, m := range cellMetrics[:1] {
			out = append(out, cellChart(in, mode, m, "Throughput (tokens/s) in "+mode+" by scenario, one bar per backend; whiskers: 95% CI over repetitions."))
		}
		cm := metric{"total_cost", "Total cost per 1M tokens, " + tier, "USD per 1M tokens", artifacts.ACTotal, artifacts.ACTotalCILow, artifacts.ACTotalCIHigh}
		cats, ss := bars(in.tiers, artifacts.ACScenario, artifacts.ACBackend, cm, artifacts.ACMode, mode, artifacts.ACTier, tier)
		if len(cats) == 0 {
			return nil, fmt.Errorf("cell_tiers: no rows for tier %q in mode %s (tiers: %v)", tier, mode, in.tiers.Distinct(artifacts.ACTier))
		}
		basisNote := ""
		if anyUnknown(ss) {
			// Like for like: infra for every backend when one lacks a total.
			cm = metric{"total_cost", "Infra cost per 1M tokens, " + tier + infraNote, "USD per 1M tokens", artifacts.ACInfra, "", ""}
			cats, ss = bars(in.tiers, artifacts.ACScenario, artifacts.ACBackend, cm, artifacts.ACMode, mode, artifacts.ACTier, tier)
			infraCI(in, mode, tier, cats, ss)
			basisNote = " Infra cost (time x the tier's hourly rate) for every backend, because energy is unavailable for " + strings.Join(unmeasured, ", ") +
				": a total would compare unlike things; whiskers from the 95% CI of time per 1M tokens."
		}
		out = append(out, chart{ID: mode + "_total_cost", Title: cm.title + " (" + mode + ")", Mode: mode, Metric: cm.val,
			XLabel: "scenario", YLabel: cm.ylabel, Cats: cats, Series: ss, Source: in.tiersSHA, SourceName: "cost_cell_tiers",
			Caption: "Cost per 1M tokens (USD) in " + mode + " at tier " + tier + " by scenario, one bar per backend; whiskers: 95% CI over repetitions." + basisNote})
		if in.summary != nil {
			tm := metric{"cost_by_tier", "Cost by pricing tier, across scenarios", "USD per 1M tokens", artifacts.ACTotal, "", ""}
			cats, ss := bars(in.summary, artifacts.ACBackend, artifacts.ACTier, tm, artifacts.ACMode, mode)
			note := ""
			if anyUnknown(ss) {
				// Energy-only has no infra part: without energy it has nothing to show.
				tm = metric{"cost_by_tier", "Infra cost by pricing tier, across scenarios" + infraNote, "USD per 1M tokens", artifacts.ACInfra, "", ""}
				cats, ss = bars(in.summary, artifacts.ACBackend, artifacts.ACTier, tm, artifacts.ACMode, mode)
				ss = slices.DeleteFunc(ss, func(s series) bool { return s.Name == acost.TierEnergyOnly })
				note = " Infra cost for every backend (energy unavailable for " + strings.Join(unmeasured, ", ") + "); energy-only is left out."
			}
			out = append(out, chart{ID: mode + "_cost_by_tier", Title: tm.title + " (" + mode + ")", Mode: mode,
				Metric: tm.val + "_by_tier", XLabel: "backend", YLabel: tm.ylabel, Cats: cats, Series: ss, Source: in.summarySHA,
				SourceName: "cost_summary", Greys: true,
				Caption: "Cost per 1M tokens (USD) in " + mode + ", mean across scenarios, for every priced tier (grey shades); " +
					"no whiskers: the summary aggregates scenarios and carries no interval." + note})
		}
		for _, m := range cellMetrics[1:] {
			out = append(out, cellChart(in, mode, m, m.title+" in "+mode+" by scenario, one bar per backend; whiskers: 95% CI over repetitions; n/a: energy not measured."))
		}
		out = append(out, scatter(in, mode, tier, unmeasured))
	}
	for i := range out {
		out[i].Colors = colors
	}
	return out, nil
}

// noEnergy lists the backends of a mode with a cell without energy.
func noEnergy(f *frame.Frame, mode string) []string {
	set := map[string]bool{}
	for _, i := range f.Rows(artifacts.ACMode, mode) {
		if math.IsNaN(f.Num(artifacts.ACEnergy, i)) {
			set[f.Str(artifacts.ACBackend, i)] = true
		}
	}
	return keys(set)
}

// infraCI fills the infra bars' whiskers from the cells' CI of seconds
// per 1M tokens times the tier's hourly rate (infra is linear in time).
func infraCI(in inputs, mode, tier string, cats []string, ss []series) {
	for k := range ss {
		s := &ss[k]
		for j, sc := range cats {
			c := in.cells.Rows(artifacts.ACMode, mode, artifacts.ACBackend, s.Name, artifacts.ACScenario, sc)
			t := in.tiers.Rows(artifacts.ACMode, mode, artifacts.ACBackend, s.Name, artifacts.ACScenario, sc, artifacts.ACTier, tier)
			if len(c) == 0 || len(t) == 0 {
				continue
			}
			rate := in.tiers.Num(artifacts.ACUSDPerHour, t[0]) / 3600
			s.Lo[j] = in.cells.Num(artifacts.ACSecCILow, c[0]) * rate
			s.Hi[j] = in.cells.Num(artifacts.ACSecCIHigh, c[0]) * rate
		}
	}
}

func cellChart(in inputs, mode string, m metric, caption string) chart {
	cats, ss := bars(in.cells, artifacts.ACScenario, artifacts.ACBackend, m, artifacts.ACMode, mode)
	return chart{ID: mode + "_" + m.id, Title: m.title + " (" + mode + ")", Mode: mode, Metric: m.val,
		XLabel: "scenario", YLabel: m.ylabel, Cats: cats, Series: ss, Source: in.cellsSHA, SourceName: "cost_cells", Caption: caption}
}

// scatter is cost versus throughput, one point per cell labelled with its
// scenario, one series per backend: total cost when every cell of the mode
// has one, else infra cost for every backend (like for like), so every
// backend is present.
func scatter(in inputs, mode, tier string, unmeasured []string) chart {
	c := chart{ID: mode + "_cost_vs_throughput", Title: "Cost versus throughput, " + tier + " (" + mode + ")", Mode: mode,
		Metric: "total_usd_per_1m_vs_throughput", XLabel: "throughput (tokens / s)", YLabel: "USD per 1M tokens",
		Scatter: true, Source: in.tiersSHA, SourceName: "cost_cell_tiers",
		Caption: "Total cost per 1M tokens (USD) against throughput (tokens/s) in " + mode + " at tier " + tier +
			", one point per scenario (labelled), one colour and marker per backend; crosses: 95% CI in both axes."}
	f, t := in.cells, in.tiers
	for _, b := range sorted(f.Distinct(artifacts.ACBackend)) {
		s := series{Name: b}
		for _, i := range f.Rows(artifacts.ACMode, mode, artifacts.ACBackend, b) {
			sc := f.Str(artifacts.ACScenario, i)
			j := t.Rows(artifacts.ACMode, mode, artifacts.ACBackend, b, artifacts.ACScenario, sc, artifacts.ACTier, tier)
			if len(j) == 0 {
				continue
			}
			rate := t.Num(artifacts.ACUSDPerHour, j[0]) / 3600
			s.Labels = append(s.Labels, sc)
			s.X = append(s.X, f.Num(artifacts.ACThroughput, i))
			s.XLo = append(s.XLo, f.Num(artifacts.ACThrCILow, i))
			s.XHi = append(s.XHi, f.Num(artifacts.ACThrCIHigh, i))
			s.Val = append(s.Val, t.Num(artifacts.ACTotal, j[0]))
			s.Lo = append(s.Lo, t.Num(artifacts.ACTotalCILow, j[0]))
			s.Hi = append(s.Hi, t.Num(artifacts.ACTotalCIHigh, j[0]))
			s.Infra = append(s.Infra, t.Num(artifacts.ACInfra, j[0]))
			s.InfraLo = append(s.InfraLo, f.Num(artifacts.ACSecCILow, i)*rate)
			s.InfraHi = append(s.InfraHi, f.Num(artifacts.ACSecCIHigh, i)*rate)
		}
		if len(s.X) > 0 {
			c.Series = append(c.Series, s)
		}
	}
	c.Caption += shortLabels(c.Series)
	if anyUnknown(c.Series) {
		c.Title = "Infra cost versus throughput, " + tier + infraNote + " (" + mode + ")"
		c.Metric = "infra_usd_per_1m_vs_throughput"
		c.Caption = "Infra cost per 1M tokens (USD) against throughput (tokens/s) in " + mode + " at tier " + tier +
			", one point per scenario (labelled), one colour and marker per backend; crosses: 95% CI in both axes. Infra cost for every backend " +
			"because energy is unavailable for " + strings.Join(unmeasured, ", ") + "." + shortLabels(c.Series)
		for k := range c.Series {
			s := &c.Series[k]
			s.Val, s.Lo, s.Hi = s.Infra, s.InfraLo, s.InfraHi
		}
	}
	return c
}

// maxNamedPoints is the most points a scatter labels with scenario names;
// beyond it labels are numbers, keyed in the caption, so they stay legible.
const maxNamedPoints = 10

// shortLabels numbers the scenarios when the scatter has too many points
// for names, rewrites the labels and returns the caption's key ("" when
// names are kept).
func shortLabels(ss []series) string {
	n := 0
	set := map[string]bool{}
	for _, s := range ss {
		n += len(s.Labels)
		for _, l := range s.Labels {
			set[l] = true
		}
	}
	if n <= maxNamedPoints {
		return ""
	}
	names := keys(set)
	num := map[string]string{}
	var key []string
	for i, l := range names {
		num[l] = fmt.Sprint(i + 1)
		key = append(key, fmt.Sprintf("%d %s", i+1, l))
	}
	for k := range ss {
		for i, l := range ss[k].Labels {
			ss[k].Labels[i] = num[l]
		}
	}
	return " Points are numbered by scenario: " + strings.Join(key, ", ") + "."
}

// infraNote marks a cost figure drawn from infra cost alone.
const infraNote = " - energy not measured for every backend"

// anyUnknown reports whether a value of a series is unknown: a total is
// missing because a backend's energy was not measured. The cost figures
// then show the infra part for every backend, which is always priced,
// and say so, as the cost stage's like-for-like rankings do.
func anyUnknown(ss []series) bool {
	for _, s := range ss {
		for _, v := range s.Val {
			if math.IsNaN(v) {
				return true
			}
		}
	}
	return false
}
