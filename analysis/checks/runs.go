package checks

import (
	"fmt"
	"math"

	"github.com/tr119/tr119/analysis/runs"
)

// Options set the thresholds of the runs checks.
type Options struct {
	// MinReps is the repetitions a cell should have; 0 means the most any
	// cell has.
	MinReps int
	// MinSamples is the fewest samples or counter updates an energy
	// window should have (default 2).
	MinSamples int64
	// ThroughputTol is the relative tolerance between throughput_tok_s
	// and tokens / latency (default 0.01).
	ThroughputTol float64
	// DriftTol is the relative throughput change between a cell and its
	// drift-check repeat above which it warns (default 0.10).
	DriftTol float64
	// Policy is the energy attribution policy whose domains are checked.
	Policy string
	// OutlierMADs is how many robust standard deviations (1.4826 x the
	// median absolute deviation) a row's time per token may lie from its
	// cell's median before it counts as an outlier (default 5).
	OutlierMADs float64
	// OutlierEffect is the relative change of the cell's time per token
	// that its outlier rows cause above which the finding fails rather
	// than warns (default 0.25): such a cell's cost is not trustworthy.
	OutlierEffect float64
}

func (o Options) withDefaults(cells []runs.Cell) Options {
	if o.MinReps == 0 {
		for _, c := range cells {
			o.MinReps = max(o.MinReps, len(c.Reps))
		}
	}
	if o.MinSamples == 0 {
		o.MinSamples = 2
	}
	if o.ThroughputTol == 0 {
		o.ThroughputTol = 0.01
	}
	if o.DriftTol == 0 {
		o.DriftTol = 0.10
	}
	if o.OutlierMADs == 0 {
		o.OutlierMADs = 5
	}
	if o.OutlierEffect == 0 {
		o.OutlierEffect = 0.25
	}
	return o
}

// perCell accumulates the row-level checks of one cell.
type perCell struct {
	lowSamples, counted, badThroughput, badTokens int
	firstBadToken                                 string
	// drift-check passes by repetition number: tokens and seconds
	drift map[int64][2]float64
	// counted rows' seconds and tokens, for the outlier check
	secs, toks []float64
}

// Runs checks a runs table and its cells (from runs.Cells on the same rows).
func Runs(r *runs.Rows, cells []runs.Cell, opt Options) []Finding {
	opt = opt.withDefaults(cells)
	index := make(map[[3]string]int, len(cells))
	for i, c := range cells {
		index[[3]string{c.Backend, c.Scenario, c.Mode}] = i
	}
	acc := make([]perCell, len(cells))
	last, lastIdx := [3]string{}, -1
	for i := 0; i < r.Len(); i++ {
		k := [3]string{r.Backend[i], r.Scenario[i], r.Mode[i]}
		if lastIdx < 0 || k != last {
			last, lastIdx = k, index[k]
		}
		rowChecks(r, i, &acc[lastIdx], opt)
	}
	var out []Finding
	for i := range cells {
		out = append(out, cellFindings(&cells[i], &acc[i], opt)...)
	}
	Sort(out)
	return out
}

func rowChecks(r *runs.Rows, i int, a *perCell, opt Options) {
	if r.Warmup[i] || r.Status[i] != "ok" {
		return // drift-check warmups included
	}
	if r.DriftCheck[i] {
		if !r.LatencyValid[i] || r.LatencyMS[i] <= 0 {
			return
		}
		if a.drift == nil {
			a.drift = map[int64][2]float64{}
		}
		k := r.Repetition[i]
		x := a.drift[k]
		a.drift[k] = [2]float64{x[0] + float64(r.Tokens[i]), x[1] + r.LatencyMS[i]/1000}
		return
	}
	a.counted++
	if r.LatencyValid[i] && r.LatencyMS[i] > 0 && r.Tokens[i] > 0 {
		a.secs = append(a.secs, r.LatencyMS[i]/1000)
		a.toks = append(a.toks, float64(r.Tokens[i]))
	}
	if d := dominant(r, i, opt.Policy); d != nil && len(d.Samples) > i && d.Source[i] != "unavailable" && d.Source[i] != "modeled" && d.Samples[i] < opt.MinSamples {
		a.lowSamples++
	}
	if len(r.ThroughputValid) > 0 && r.ThroughputValid[i] {
		want := float64(r.Tokens[i]) / (r.LatencyMS[i] / 1000)
		if math.Abs(r.Throughput[i]-want) > opt.ThroughputTol*want {
			a.badThroughput++
		}
	}
	if msg := tokenRule(r, i); msg != "" {
		a.badTokens++
		if a.firstBadToken == "" {
			a.firstBadToken = fmt.Sprintf("row %d: %s", i+1, msg)
		}
	}
}

// tokenRule checks the mode's token accounting (report 2.3): prefill
// processes batch x padded seq_len tokens; generate and decode produce at
// most batch x seq_len (the final padded length) tokens.
func tokenRule(r *runs.Rows, i int) string {
	bs, sl, tk := r.BatchSize[i], r.SeqLen[i], r.Tokens[i]
	switch r.Mode[i] {
	case "prefill":
		if tk != bs*sl {
			return fmt.Sprintf("prefill tokens %d != batch_size %d x seq_len %d", tk, bs, sl)
		}
	default:
		if tk > bs*sl {
			return fmt.Sprintf("%s tokens %d > batch_size %d x seq_len %d", r.Mode[i], tk, bs, sl)
		}
	}
	return ""
}

func dominant(r *runs.Rows, i int, policy string) *runs.Domain {
	if policy == runs.PolicySum {
		return nil // every domain counts; sample checks use the dominant one only
	}
	if r.DeviceClass[i] == "gpu" {
		return r.Domain("gpu")
	}
	return r.Domain("cpu_package")
}

func cellFindings(c *runs.Cell, a *perCell, opt Options) []Finding {
	f := func(check, sev, msg string, v float64) Finding {
		return Finding{Check: check, Severity: sev, Backend: c.Backend, Scenario: c.Scenario, Mode: c.Mode, Message: msg, Value: v}
	}
	var out []Finding
	if c.Rows == 0 {
		return append(out, f("cell_without_runs", Fail, fmt.Sprintf("no counted run: %d degraded, %d warmup, %d drift-check rows", c.Degraded, c.Warmups, c.Drift), 0))
	}
	if c.Degraded > 0 {
		out = append(out, f("degraded_runs", Warn, fmt.Sprintf("%d degraded rows excluded from the means", c.Degraded), float64(c.Degraded)))
	}
	if len(c.Reps) < opt.MinReps {
		out = append(out, f("too_few_repetitions", Warn, fmt.Sprintf("%d valid repetitions, want %d", len(c.Reps), opt.MinReps), float64(len(c.Reps))))
	}
	if !c.HasEnergy() {
		out = append(out, f("energy_unavailable", Warn, "energy and carbon missing, infra cost only: "+c.EnergyMissing, nan))
	}
	if a.lowSamples > 0 {
		frac := float64(a.lowSamples) / float64(a.counted)
		out = append(out, f("energy_few_samples", Warn, fmt.Sprintf("%d of %d energy windows have fewer than %d samples or counter updates", a.lowSamples, a.counted, opt.MinSamples), frac))
	}
	if a.badThroughput > 0 {
		out = append(out, f("throughput_mismatch", Warn, fmt.Sprintf("%d rows' throughput_tok_s differs from tokens / latency by more than %.3g%%", a.badThroughput, 100*opt.ThroughputTol), float64(a.badThroughput)))
	}
	if a.badTokens > 0 {
		out = append(out, f("token_accounting", Fail, fmt.Sprintf("%d rows break the mode's token rule, first %s", a.badTokens, a.firstBadToken), float64(a.badTokens)))
	}
	if o, ok := outliers(a.secs, a.toks, opt.OutlierMADs); ok {
		sev := Warn
		if math.Abs(o.effect) > opt.OutlierEffect {
			sev = Fail
		}
		out = append(out, f("outlier_rows", sev, fmt.Sprintf("%d of %d rows' time per token lies more than %g robust SDs (MAD) from the cell's median "+
			"(the worst %.3gx the median); they change the cell's time per token, and so its cost, by %+.1f%%",
			o.n, len(a.secs), opt.OutlierMADs, o.worst, 100*o.effect), o.effect))
	}
	if len(a.drift) > 0 {
		var tok, sec float64
		for _, r := range c.Reps {
			tok += r.Tokens
			sec += r.Seconds
		}
		base := tok / sec
		worst, over := 0.0, 0
		for _, x := range a.drift {
			d := (x[0]/x[1])/base - 1
			if math.Abs(d) > math.Abs(worst) {
				worst = d
			}
			if math.Abs(d) > opt.DriftTol {
				over++
			}
		}
		sev := Info
		if over > 0 {
			sev = Warn
		}
		out = append(out, f("drift", sev, fmt.Sprintf("%d repeat passes, %d beyond %.0f%%; the largest differs by %+.1f%% from the cell's throughput", len(a.drift), over, 100*opt.DriftTol, 100*worst), worst))
	}
	return out
}
