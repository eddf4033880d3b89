package report

import (
	"fmt"
	"math"
	"strings"

	"github.com/tr119/tr119/analysis/checks"
	"github.com/tr119/tr119/artifacts"
	"github.com/tr119/tr119/stages/internal/analysisio"
)

// busy finds cells whose windows ran with the machine's CPU mostly busy
// while the backend used only a fraction of it (checks.Busy over runs/v2's
// system_cpu_util and process_cpu_s; the backend's share needs the
// environments' cpu_cores; without them nothing is flagged and skipped
// says why). load calls it once.
func (in *input) busy() (cells []checks.BusyCell, skipped string) {
	cores := 0.0
	for _, f := range in.envs {
		keys, vals := make([]string, f.Len), make([]string, f.Len)
		for i := range f.Len {
			keys[i], vals[i] = f.Str("key", i), f.Str("value", i)
		}
		if cores = analysisio.CPUCoresOf(keys, vals); cores > 0 {
			break
		}
	}
	var rows []checks.Usage
	for _, r := range in.runs {
		if !r.Has(artifacts.ColSystemCPUUtil) {
			continue
		}
		for i := 0; i < r.Len; i++ {
			if r.Num(artifacts.ColWarmup, i) == 1 || r.Str(artifacts.ColStatus, i) != artifacts.StatusOK {
				continue
			}
			rows = append(rows, checks.Usage{Backend: r.Str(artifacts.ColBackend, i), Scenario: r.Str(artifacts.ColScenario, i),
				Mode: r.Str(artifacts.ColMode, i), SystemUtil: r.Num(artifacts.ColSystemCPUUtil, i),
				ProcessCPUS: r.Num(artifacts.ColProcessCPUS, i), LatencyS: r.Num(artifacts.ColLatencyMS, i) / 1000})
		}
	}
	return checks.Busy(rows, cores)
}

// finding is one validation finding the summary reads.
type finding struct {
	check, severity, cell, message string
	value                          float64
}

// findings returns the validate stages' findings of a check.
func (in *input) findings(check string) []finding {
	var out []finding
	for _, v := range in.valids {
		for _, i := range v.Rows(artifacts.AVCheck, check) {
			out = append(out, finding{check, v.Str(artifacts.AVSeverity, i),
				v.Str(artifacts.ACBackend, i) + "/" + v.Str(artifacts.ACScenario, i) + "/" + v.Str(artifacts.ACMode, i),
				v.Str(artifacts.AVMessage, i), v.Num(artifacts.AVValue, i)})
		}
	}
	return out
}

// issue is one measurement problem: its sentence for the summary, a short
// label, the backends it touches and what would remove it.
type issue struct {
	text, label, settle string
	backends            []string
}

// qualityIssues lists the measurement problems the data shows, each with
// its effect on how far the results can be trusted.
func (in *input) qualityIssues() []issue {
	var out []issue
	backendsOf := func(cells []string) []string {
		m := map[string]bool{}
		for _, c := range cells {
			b, _, _ := strings.Cut(c, "/")
			m[b] = true
		}
		return sortedMapKeys(m)
	}
	var drift []string
	worst := 0.0
	for _, f := range in.findings("drift") {
		if f.severity == "warn" {
			drift = append(drift, f.cell)
			worst = math.Max(worst, math.Abs(f.value))
		}
	}
	if len(drift) > 0 {
		out = append(out, issue{fmt.Sprintf("**Drift** beyond the threshold in %s (largest %s): the machine's speed changed during the run "+
			"(clock changes or other load), so differences between backends smaller than that are not reliable.", plural(len(drift), "cell", "cells"), pct(worst)),
			"drift", "a quieter machine", backendsOf(drift)})
	}
	if fs := in.findings("outlier_rows"); len(fs) > 0 {
		worst, fails := 0.0, 0
		var cells []string
		for _, f := range fs {
			worst = math.Max(worst, math.Abs(f.value))
			cells = append(cells, f.cell)
			if f.severity == "fail" {
				fails++
			}
		}
		s := fmt.Sprintf("**Outlier rows** in %s (robust MAD check): they change those cells' time per token, and so their cost, by up to %s",
			plural(len(fs), "cell", "cells"), pct(worst))
		if fails > 0 {
			s += fmt.Sprintf("; %s fail validation: their costs are not trustworthy until re-measured", plural(fails, "cell", "cells"))
		}
		out = append(out, issue{s + " (" + joinTicks(firstN(cells, 5)) + more(len(cells), 5) + ").", "outlier rows",
			"re-measuring the cells with outlier rows", backendsOf(cells)})
	}
	if b := in.busyCells; len(b) > 0 {
		var cells []string
		hi, share := 0.0, math.NaN()
		for _, c := range b {
			cells = append(cells, c.Backend+"/"+c.Scenario+"/"+c.Mode)
			if c.System > hi {
				hi, share = c.System, c.Share
			}
		}
		s := fmt.Sprintf("**Busy machine** in %s: the whole machine's CPU was %s busy on average", plural(len(b), "cell", "cells"), pct(hi))
		if !math.IsNaN(share) {
			s += fmt.Sprintf(" while the backend used %s of it", pct(share))
		}
		out = append(out, issue{s + ": other load slowed the measured calls, so their costs are too high and rankings less certain (" +
			joinTicks(firstN(cells, 5)) + more(len(cells), 5) + ").", "a busy machine", "a quieter machine", backendsOf(cells)})
	}
	f := in.t["cells"]
	var modeled []string
	for i := 0; i < f.Len; i++ {
		if f.Str(artifacts.ACSource, i) == "modeled" {
			modeled = append(modeled, f.Str(artifacts.ACBackend, i)+"/"+f.Str(artifacts.ACScenario, i)+"/"+f.Str(artifacts.ACMode, i))
		}
	}
	if len(modeled) > 0 {
		out = append(out, issue{fmt.Sprintf("**Modeled energy** for %s (%s): their energy, carbon and total costs are estimates from a power model, not measurements.",
			plural(len(modeled), "cell", "cells"), joinTicks(backendsOf(modeled))), "modeled energy",
			"energy counters (RAPL, NVML) instead of a power model", backendsOf(modeled)})
	}
	return out
}

func firstN(xs []string, n int) []string {
	if len(xs) > n {
		return xs[:n]
	}
	return xs
}

func more(n, shown int) string {
	if n > shown {
		return fmt.Sprintf(" and %d more", n-shown)
	}
	return ""
}
