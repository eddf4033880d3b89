package checks

import (
	"fmt"
	"math"

	"github.com/tr119/tr119/analysis/runs"
)

// Busy-machine thresholds: the whole machine at least BusyUtil busy on
// average over a cell's windows while the backend's own share of it left
// at least OtherShare to other processes.
const (
	BusyUtil   = 0.85
	OtherShare = 0.25
)

// Usage is one counted row's CPU use: the whole machine's utilisation
// over the row's window (0 to 1), and the backend process's CPU seconds
// and wall seconds per call. NaN where the row does not record it.
type Usage struct {
	Backend, Scenario, Mode           string
	SystemUtil, ProcessCPUS, LatencyS float64
}

// BusyCell is a cell measured while other load kept the machine busy:
// System is the machine's mean utilisation, Share the backend's own mean
// share of all cores (NaN when unknown).
type BusyCell struct {
	Backend, Scenario, Mode string
	System, Share           float64
}

// Why Busy could not check: what validate notes and the report lists.
const (
	SkippedNoUtil  = "the runs record no system CPU utilisation"
	SkippedNoCores = "no environment table gives cpu_cores, so a backend using every core cannot be told from other load"
)

// Busy finds the cells whose windows ran with the machine mostly busy
// while the backend used only part of it, in the order the rows first
// name them. cores is the machine's CPU count. Without it (cores 0) or
// without any utilisation it flags nothing and says why in skipped: a
// busy machine is only blamed on other load when the backend's own share
// is known to leave room for it. A cell whose rows lack the process's CPU
// time is flagged with Share NaN.
func Busy(rows []Usage, cores float64) (cells []BusyCell, skipped string) {
	type acc struct {
		sys, coresUsed float64 // sums over the rows
		n, ns          int
	}
	by := map[[3]string]*acc{}
	var order [][3]string
	for _, r := range rows {
		if math.IsNaN(r.SystemUtil) {
			continue
		}
		k := [3]string{r.Backend, r.Scenario, r.Mode}
		a := by[k]
		if a == nil {
			a = &acc{}
			by[k] = a
			order = append(order, k)
		}
		a.sys += r.SystemUtil
		a.n++
		if r.LatencyS > 0 && !math.IsNaN(r.ProcessCPUS) {
			a.coresUsed += r.ProcessCPUS / r.LatencyS
			a.ns++
		}
	}
	switch {
	case len(order) == 0:
		return nil, SkippedNoUtil
	case cores <= 0:
		return nil, SkippedNoCores
	}
	for _, k := range order {
		a := by[k]
		sys, share := a.sys/float64(a.n), math.NaN()
		if a.ns > 0 {
			share = math.Min(a.coresUsed/float64(a.ns)/cores, 1)
		}
		if sys >= BusyUtil && (math.IsNaN(share) || sys-share >= OtherShare) {
			cells = append(cells, BusyCell{k[0], k[1], k[2], sys, share})
		}
	}
	return cells, ""
}

// UsageOf is the counted rows' CPU use (no warmups, status ok).
func UsageOf(r *runs.Rows) []Usage {
	if len(r.SystemCPUUtil) != r.Len() {
		return nil
	}
	var out []Usage
	for i := 0; i < r.Len(); i++ {
		if r.Warmup[i] || r.Status[i] != "ok" {
			continue
		}
		lat := math.NaN()
		if r.LatencyValid[i] {
			lat = r.LatencyMS[i] / 1000
		}
		out = append(out, Usage{r.Backend[i], r.Scenario[i], r.Mode[i], r.SystemCPUUtil[i], r.ProcessCPUS[i], lat})
	}
	return out
}

// BusyFindings warns once per busy cell (check busy_machine, value the
// machine's mean utilisation): other load slowed its calls, so its cost
// is too high and rankings against it less certain.
func BusyFindings(cells []BusyCell) []Finding {
	var out []Finding
	for _, c := range cells {
		msg := fmt.Sprintf("the machine's CPU was %.0f%% busy on average", 100*c.System)
		if !math.IsNaN(c.Share) {
			msg += fmt.Sprintf(" while the backend used %.0f%% of it", 100*c.Share)
		}
		out = append(out, Finding{Check: "busy_machine", Severity: Warn, Backend: c.Backend, Scenario: c.Scenario, Mode: c.Mode,
			Message: msg + ": other load slowed the measured calls; re-measure on a quieter machine", Value: c.System})
	}
	return out
}
