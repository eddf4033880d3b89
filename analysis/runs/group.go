package runs

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/tr119/tr119/artifacts"
)

type cellKey struct{ backend, scenario, mode string }

type repKey struct {
	cell int
	rep  int64
}

// denseReps bounds repetition numbers indexed by slice rather than map.
const denseReps = 1 << 20

// grouper accumulates rows into cells and repetitions. It looks up a map
// only when the key changes from the previous row (runs tables are written
// cell by cell), so a million rows cost a few thousand lookups.
type grouper struct {
	r     *Rows
	opt   Options
	cells []Cell
	index map[cellKey]int
	// dense[cell][rep] is 1 + the index of repetition rep in the cell's
	// Reps (0: none yet) for 0 <= rep < denseReps; sparse holds the rest.
	dense  [][]int32
	sparse map[repKey]int
	// per cell: domains used, worst source, first missing reason
	domains []map[string]bool
	source  []int
	last    cellKey
	lastIdx int
	lastRep repKey
	lastRI  int
}

func newGrouper(r *Rows, opt Options) *grouper {
	return &grouper{r: r, opt: opt, index: map[cellKey]int{}, sparse: map[repKey]int{}, lastIdx: -1, lastRI: -1}
}

// sources in order of strength; a cell reports its weakest.
var sources = []string{artifacts.SourceCounter, artifacts.SourceSamples, artifacts.SourceModeled, artifacts.SourceUnavailable}

var (
	allDomains = artifacts.Domains
	gpuDomain  = []string{artifacts.DomainGPU}
	cpuDomain  = []string{artifacts.DomainCPUPackage}
)

func (g *grouper) cell(i int) int {
	r := g.r
	k := cellKey{r.Backend[i], r.Scenario[i], r.Mode[i]}
	if g.lastIdx >= 0 && k == g.last {
		return g.lastIdx
	}
	ci, ok := g.index[k]
	if !ok {
		ci = len(g.cells)
		g.index[k] = ci
		g.cells = append(g.cells, Cell{Backend: k.backend, Scenario: k.scenario, Mode: k.mode,
			DeviceClass: r.DeviceClass[i], BatchSize: -1, SeqLen: -1})
		g.domains = append(g.domains, map[string]bool{})
		g.dense = append(g.dense, nil)
		g.source = append(g.source, 0)
	}
	g.last, g.lastIdx = k, ci
	return ci
}

func (g *grouper) add(i int) error {
	r := g.r
	if artifacts.ModeRank(r.Mode[i]) > 2 {
		return rowErr(r, i, "mode", fmt.Errorf("%q is not prefill, generate or decode", r.Mode[i]))
	}
	ci := g.cell(i)
	c := &g.cells[ci]
	switch {
	case r.Warmup[i]:
		c.Warmups++
		return nil
	case r.DriftCheck[i]:
		c.Drift++
		return nil
	case r.Status[i] != "ok":
		c.Degraded++
		return nil
	}
	if !r.LatencyValid[i] {
		return rowErr(r, i, "latency_ms", fmt.Errorf("null in a counted (ok, non-warmup) row"))
	}
	if err := positive(r.LatencyMS[i]); err != nil {
		return rowErr(r, i, "latency_ms", err)
	}
	if r.Tokens[i] <= 0 {
		return rowErr(r, i, "tokens", fmt.Errorf("%d: want > 0", r.Tokens[i]))
	}
	if len(r.ThroughputValid) > 0 && r.ThroughputValid[i] {
		if err := positive(r.Throughput[i]); err != nil {
			return rowErr(r, i, "throughput_tok_s", err)
		}
	}
	if c.BatchSize < 0 {
		c.BatchSize, c.SeqLen = r.BatchSize[i], r.SeqLen[i]
	}
	if c.DeviceClass != r.DeviceClass[i] {
		return rowErr(r, i, "device_class", fmt.Errorf("%q differs from %q earlier in the same cell", r.DeviceClass[i], c.DeviceClass))
	}
	c.Rows++
	rk := repKey{ci, r.Repetition[i]}
	ri := g.lastRI
	if rk != g.lastRep || ri < 0 {
		ri = g.rep(c, rk)
		g.lastRep, g.lastRI = rk, ri
	}
	rep := &c.Reps[ri]
	rep.Prompts++
	rep.Tokens += float64(r.Tokens[i])
	sec := r.LatencyMS[i] / 1000
	rep.Seconds += sec
	e, why, err := g.energy(i, ci, sec)
	if err != nil {
		return err
	}
	if why != "" {
		rep.HasEnergy = false
		if c.EnergyMissing == "" {
			c.EnergyMissing = why
		}
	} else {
		rep.EnergyJ += e
	}
	return nil
}

// rep returns the index of a repetition in its cell, adding it if new.
func (g *grouper) rep(c *Cell, rk repKey) int {
	if rk.rep >= 0 && rk.rep < denseReps {
		d := g.dense[rk.cell]
		if int(rk.rep) >= len(d) {
			d = append(d, make([]int32, int(rk.rep)+1-len(d))...)
			g.dense[rk.cell] = d
		}
		if d[rk.rep] == 0 {
			c.Reps = append(c.Reps, Rep{Repetition: rk.rep, HasEnergy: true})
			d[rk.rep] = int32(len(c.Reps))
		}
		return int(d[rk.rep]) - 1
	}
	ri, ok := g.sparse[rk]
	if !ok {
		ri = len(c.Reps)
		g.sparse[rk] = ri
		c.Reps = append(c.Reps, Rep{Repetition: rk.rep, HasEnergy: true})
	}
	return ri
}

// energy returns the row's attributed energy in joules, or why it has none.
func (g *grouper) energy(i, ci int, sec float64) (float64, string, error) {
	r := g.r
	names := allDomains
	if g.opt.Policy == PolicyDominant {
		names = cpuDomain
		if r.DeviceClass[i] == "gpu" {
			names = gpuDomain
		}
	}
	var sum float64
	used := 0
	why := ""
	for _, name := range names {
		d := r.Domain(name)
		if d == nil {
			why = fmt.Sprintf("no %s energy columns", name)
			continue
		}
		src := d.Source[i]
		if rank := slices.Index(sources, src); rank < 0 {
			return 0, "", rowErr(r, i, name+"_source", fmt.Errorf("unknown source %q", src))
		} else if rank > g.source[ci] {
			g.source[ci] = rank
		}
		if src == "unavailable" {
			why = fmt.Sprintf("%s energy unavailable: %s", name, d.SourceReason[i])
			continue
		}
		// Column suffixes are joined only on error: this runs per row.
		// Only the basis's columns are touched: a reader may load no others.
		var v float64
		var suf string
		var ok bool
		if g.opt.Basis == BasisActive {
			v, suf, ok = d.ActiveJ[i], "_energy_active_j", d.ActiveValid[i]
		} else {
			v, suf, ok = d.EnergyJ[i], "_energy_j", d.EnergyValid[i]
			if !ok && d.PowerValid[i] {
				v, suf, ok = d.PowerW[i]*sec, "_power_w", true
			}
		}
		if !ok {
			why = fmt.Sprintf("%s%s null with source %s", name, suf, src)
			continue
		}
		// Active energy may dip below zero (a call as quiet as idle; the
		// runs table does not clamp it, which would bias means upwards).
		if math.IsNaN(v) || math.IsInf(v, 0) || (v < 0 && g.opt.Basis != BasisActive) {
			return 0, "", rowErr(r, i, name+suf, fmt.Errorf("%v: want a finite value >= 0", v))
		}
		sum += v
		used++
		g.domains[ci][name] = true
	}
	if used == 0 || (g.opt.Policy == PolicyDominant && why != "") {
		return 0, why, nil
	}
	return sum, "", nil
}

func (g *grouper) finish() ([]Cell, error) {
	n := 0
	for ci := range g.cells {
		c := &g.cells[ci]
		slices.SortFunc(c.Reps, func(a, b Rep) int { return cmp.Compare(a.Repetition, b.Repetition) })
		c.Domains = joinSorted(g.domains[ci], "+")
		c.Source = sources[g.source[ci]]
		if c.Rows == 0 {
			c.EnergyMissing = "no counted rows"
		}
		n += c.Rows
	}
	if n == 0 {
		return nil, fmt.Errorf("runs: no counted rows (every row is a warmup, drift check or degraded)")
	}
	slices.SortFunc(g.cells, func(a, b Cell) int { return CompareCells(&a, &b) })
	return g.cells, nil
}

func positive(v float64) error {
	if math.IsNaN(v) || math.IsInf(v, 0) || v <= 0 {
		return fmt.Errorf("%v: want a finite value > 0", v)
	}
	return nil
}

// rowErr names the row (1-based, with its run id) and the column.
func rowErr(r *Rows, i int, col string, err error) error {
	id := ""
	if i < len(r.RunID) {
		id = fmt.Sprintf(" (run_id %q)", r.RunID[i])
	}
	return fmt.Errorf("runs row %d%s, column %q: %w", i+1, id, col, err)
}
