package runs

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/tr119/tr119/artifacts"
)

// Energy attribution policies and bases (see docs/analysis.md).
const (
	PolicyDominant = "dominant"
	PolicySum      = "sum"
	BasisTotal     = "total"
	BasisActive    = "active"
)

// Options choose how energy is attributed to a call.
type Options struct {
	// Policy is PolicyDominant (the report's: the gpu domain for device
	// class "gpu", cpu_package otherwise) or PolicySum (every domain
	// measured in the row). Empty means dominant.
	Policy string
	// Basis is BasisTotal (energy_j, the report's) or BasisActive
	// (energy_active_j, idle baseline removed). Empty means total.
	Basis string
}

// Cell is one backend x scenario x mode with its repetition samples.
type Cell struct {
	Backend, Scenario, Mode, DeviceClass string
	// BatchSize and SeqLen are those of the cell's first counted row.
	BatchSize, SeqLen int64
	// Rows counts the rows used; Degraded, Warmups and Drift count the
	// rows excluded for each reason.
	Rows, Degraded, Warmups, Drift int
	// Reps are the samples, sorted by repetition number.
	Reps []Rep
	// Domains names the power domains whose energy was used, joined by "+".
	Domains string
	// Source is the weakest energy source among the rows used
	// (measured_counter < measured_samples < modeled < unavailable).
	Source string
	// EnergyMissing says why the cell has no energy ("" when every
	// repetition has it).
	EnergyMissing string
}

// HasEnergy reports whether every repetition of the cell has energy.
func (c *Cell) HasEnergy() bool { return c.EnergyMissing == "" }

// Rep is one repetition: sums over its prompts.
type Rep struct {
	Repetition int64
	Prompts    int
	Tokens     float64
	Seconds    float64
	EnergyJ    float64
	HasEnergy  bool
}

// Throughput is tokens per second over the repetition.
func (r Rep) Throughput() float64 { return r.Tokens / r.Seconds }

// SecondsPer1M is the time one million tokens take at this repetition's rate.
func (r Rep) SecondsPer1M() float64 { return r.Seconds / r.Tokens * 1e6 }

// KWhPer1M is the energy of one million tokens at this repetition's rate.
func (r Rep) KWhPer1M() float64 { return r.EnergyJ / r.Tokens * 1e6 / 3.6e6 }

// PowerW is the repetition's mean power (energy over time).
func (r Rep) PowerW() float64 { return r.EnergyJ / r.Seconds }

// LatencyMS is the repetition's mean latency per call.
func (r Rep) LatencyMS() float64 { return r.Seconds * 1000 / float64(r.Prompts) }

// CompareCells orders cells by mode, backend, scenario.
func CompareCells(a, b *Cell) int {
	return cmp.Or(cmp.Compare(artifacts.ModeRank(a.Mode), artifacts.ModeRank(b.Mode)),
		cmp.Compare(a.Backend, b.Backend), cmp.Compare(a.Scenario, b.Scenario))
}

// Cells checks the rows and groups them into cells sorted by mode,
// backend and scenario. A cell whose rows are all excluded is kept with no
// Reps (Rows == 0) so that validation can report it; analyses skip it. It
// fails on an empty table, on a bad value in a counted row (naming the row
// and column) or when no row is counted at all.
func Cells(r *Rows, opt Options) ([]Cell, error) {
	if err := checkShape(r); err != nil {
		return nil, err
	}
	if opt.Policy == "" {
		opt.Policy = PolicyDominant
	}
	if opt.Basis == "" {
		opt.Basis = BasisTotal
	}
	if opt.Policy != PolicyDominant && opt.Policy != PolicySum {
		return nil, fmt.Errorf("energy policy %q: want %q or %q", opt.Policy, PolicyDominant, PolicySum)
	}
	if opt.Basis != BasisTotal && opt.Basis != BasisActive {
		return nil, fmt.Errorf("energy basis %q: want %q or %q", opt.Basis, BasisTotal, BasisActive)
	}
	if err := checkDomains(r, opt); err != nil {
		return nil, err
	}
	g := newGrouper(r, opt)
	for i := 0; i < r.Len(); i++ {
		if err := g.add(i); err != nil {
			return nil, err
		}
	}
	return g.finish()
}

func checkShape(r *Rows) error {
	n := r.Len()
	if n == 0 {
		return fmt.Errorf("runs table is empty")
	}
	lens := map[string]int{
		"scenario": len(r.Scenario), "mode": len(r.Mode), "device_class": len(r.DeviceClass),
		"batch_size": len(r.BatchSize), "seq_len": len(r.SeqLen), "repetition": len(r.Repetition),
		"tokens": len(r.Tokens), "warmup": len(r.Warmup), "drift_check": len(r.DriftCheck),
		"status": len(r.Status), "latency_ms": len(r.LatencyMS), "latency valid": len(r.LatencyValid),
	}
	for _, name := range slices.Sorted(maps.Keys(lens)) {
		if lens[name] != n {
			return fmt.Errorf("runs: column %q has %d values for %d rows", name, lens[name], n)
		}
	}
	return nil
}

// checkDomains wants, for every domain present, the columns opt reads.
func checkDomains(r *Rows, opt Options) error {
	n := r.Len()
	for _, d := range r.Domains {
		lens := map[string]int{"source": len(d.Source), "source_reason": len(d.SourceReason)}
		if opt.Basis == BasisActive {
			lens["energy_active_j"], lens["energy_active_j valid"] = len(d.ActiveJ), len(d.ActiveValid)
		} else {
			lens["energy_j"], lens["energy_j valid"] = len(d.EnergyJ), len(d.EnergyValid)
			lens["power_w"], lens["power_w valid"] = len(d.PowerW), len(d.PowerValid)
		}
		for _, name := range slices.Sorted(maps.Keys(lens)) {
			if lens[name] != n {
				return fmt.Errorf("runs: column %q has %d values for %d rows", d.Name+"_"+name, lens[name], n)
			}
		}
	}
	return nil
}

// joinSorted joins the set's names sorted, with sep.
func joinSorted(set map[string]bool, sep string) string {
	var s []string
	for k := range set {
		s = append(s, k)
	}
	slices.Sort(s)
	return strings.Join(s, sep)
}
