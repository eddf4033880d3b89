package analysisio

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/tr119/tr119/analysis/runs"
	"github.com/tr119/tr119/artifacts"
	"github.com/tr119/tr119/engine"
)

// Need says which of the optional runs columns a stage reads: the energy
// columns of the policy's domains for its basis, and the sample counts.
// Reading only these is a third less work on a million rows.
type Need struct {
	Opt     runs.Options
	Samples bool
	// Usage reads the CPU use columns (system_cpu_util, process_cpu_s),
	// NaN where a table lacks them.
	Usage bool
}

// domains are the power domains the policy reads.
func (n Need) domains() []string {
	if n.Opt.Policy == runs.PolicySum {
		return artifacts.Domains
	}
	return []string{artifacts.DomainGPU, artifacts.DomainCPUPackage}
}

// ReadRuns reads every available runs artifact and concatenates their
// rows. Unavailable artifacts are skipped and named in notes. It fails
// when no artifact is available or a table is not runs-shaped, with
// an error naming the file and the column.
func ReadRuns(arts []engine.Artifact, need Need) (rows *runs.Rows, notes []string, err error) {
	rows = &runs.Rows{}
	for _, name := range need.domains() {
		rows.Domains = append(rows.Domains, runs.Domain{Name: name})
	}
	read := 0
	for _, a := range arts {
		if !a.Available {
			notes = append(notes, fmt.Sprintf("runs from %s skipped: unavailable (%s)", a.Stage, a.Reason))
			continue
		}
		if err := appendRuns(rows, a.Path, need); err != nil {
			return nil, notes, err
		}
		read++
	}
	if read == 0 {
		return nil, notes, fmt.Errorf("no runs table is available (%s)", strings.Join(notes, "; "))
	}
	return rows, notes, nil
}

func appendRuns(rows *runs.Rows, path string, need Need) error {
	tbl, err := artifacts.ReadParquetColumns(path, need.columns())
	if err != nil {
		return err
	}
	defer tbl.Release()
	if v := artifacts.SchemaVersion(tbl.Schema()); v != "" && !strings.HasPrefix(v, "runs/") {
		return fmt.Errorf("%s: table is %q, want a runs table (%s)", path, v, artifacts.RunsVersion)
	}
	if tbl.NumRows() == 0 {
		return fmt.Errorf("%s: runs table is empty", path)
	}
	c := cols{tbl: tbl}
	c.str(&rows.RunID, artifacts.ColRunID)
	c.str(&rows.Backend, artifacts.ColBackend)
	c.str(&rows.Scenario, artifacts.ColScenario)
	c.str(&rows.Mode, artifacts.ColMode)
	c.str(&rows.DeviceClass, artifacts.ColDeviceClass)
	c.i64(&rows.BatchSize, artifacts.ColBatchSize)
	c.i64(&rows.SeqLen, artifacts.ColSeqLen)
	c.i64(&rows.Repetition, artifacts.ColRepetition)
	c.i64(&rows.Tokens, artifacts.ColTokens)
	c.boolean(&rows.Warmup, artifacts.ColWarmup)
	c.boolean(&rows.DriftCheck, artifacts.ColDriftCheck)
	c.str(&rows.Status, artifacts.ColStatus)
	c.f64(&rows.LatencyMS, &rows.LatencyValid, artifacts.ColLatencyMS)
	c.f64(&rows.Throughput, &rows.ThroughputValid, artifacts.ColThroughput)
	for i := range rows.Domains {
		d := &rows.Domains[i]
		col := func(suf string) string { return artifacts.DomainCol(d.Name, suf) }
		if need.Opt.Basis == runs.BasisActive {
			c.f64(&d.ActiveJ, &d.ActiveValid, col(artifacts.SufEnergyActiveJ))
		} else {
			c.f64(&d.EnergyJ, &d.EnergyValid, col(artifacts.SufEnergyJ))
			c.f64(&d.PowerW, &d.PowerValid, col(artifacts.SufPowerW))
		}
		if need.Samples {
			c.i64(&d.Samples, col(artifacts.SufSamples))
		}
		c.str(&d.Source, col(artifacts.SufSource))
		c.str(&d.SourceReason, col(artifacts.SufSourceReason))
	}
	if need.Usage {
		c.optF64(&rows.SystemCPUUtil, artifacts.ColSystemCPUUtil)
		c.optF64(&rows.ProcessCPUS, artifacts.ColProcessCPUS)
	}
	if c.err != nil {
		return fmt.Errorf("%s: %w", path, c.err)
	}
	return nil
}

// cols appends typed columns of one table, keeping the first error.
type cols struct {
	tbl arrow.Table
	err error
}

func (c *cols) str(dst *[]string, name string) {
	if c.err != nil {
		return
	}
	v, valid, err := artifacts.StringCol(c.tbl, name)
	if err == nil {
		err = noNulls(name, valid)
	}
	c.err = err
	*dst = extend(*dst, v)
}

func (c *cols) i64(dst *[]int64, name string) {
	if c.err != nil {
		return
	}
	v, valid, err := artifacts.Int64Col(c.tbl, name)
	if err == nil {
		err = noNulls(name, valid)
	}
	c.err = err
	*dst = extend(*dst, v)
}

func (c *cols) boolean(dst *[]bool, name string) {
	if c.err != nil {
		return
	}
	v, valid, err := artifacts.BoolCol(c.tbl, name)
	if err == nil {
		err = noNulls(name, valid)
	}
	c.err = err
	*dst = extend(*dst, v)
}

func (c *cols) f64(dst *[]float64, valid *[]bool, name string) {
	if c.err != nil {
		return
	}
	v, ok, err := artifacts.Float64Col(c.tbl, name)
	c.err = err
	*dst = extend(*dst, v)
	*valid = extend(*valid, ok)
}

// optF64 appends a nullable column with NaN for nulls, or NaN for every
// row when the table lacks it (runs/v1, an import without it).
func (c *cols) optF64(dst *[]float64, name string) {
	if c.err != nil {
		return
	}
	var v []float64
	var ok []bool
	if c.tbl.Schema().HasField(name) {
		if v, ok, c.err = artifacts.Float64Col(c.tbl, name); c.err != nil {
			return
		}
	} else {
		v, ok = make([]float64, c.tbl.NumRows()), make([]bool, c.tbl.NumRows())
	}
	for i := range v {
		if !ok[i] {
			v[i] = math.NaN()
		}
	}
	*dst = extend(*dst, v)
}

// extend appends v to dst, or takes v itself when dst is empty: the
// usual single runs table then costs no second copy of a million values.
func extend[T any](dst, v []T) []T {
	if len(dst) == 0 {
		return v
	}
	return append(dst, v...)
}

func noNulls(name string, valid []bool) error {
	for i, ok := range valid {
		if !ok {
			return fmt.Errorf("row %d, column %q: null in a non-nullable column", i+1, name)
		}
	}
	return nil
}

// columns are the runs/v2 columns read for need.
func (n Need) columns() []string {
	names := []string{artifacts.ColRunID, artifacts.ColBackend, artifacts.ColScenario, artifacts.ColMode,
		artifacts.ColDeviceClass, artifacts.ColBatchSize, artifacts.ColSeqLen, artifacts.ColRepetition,
		artifacts.ColTokens, artifacts.ColWarmup, artifacts.ColDriftCheck, artifacts.ColStatus,
		artifacts.ColLatencyMS, artifacts.ColThroughput}
	sufs := []string{artifacts.SufEnergyJ, artifacts.SufPowerW}
	if n.Opt.Basis == runs.BasisActive {
		sufs = []string{artifacts.SufEnergyActiveJ}
	}
	sufs = append(sufs, artifacts.SufSource, artifacts.SufSourceReason)
	if n.Samples {
		sufs = append(sufs, artifacts.SufSamples)
	}
	if n.Usage {
		names = append(names, artifacts.ColSystemCPUUtil, artifacts.ColProcessCPUS)
	}
	for _, d := range n.domains() {
		for _, suf := range sufs {
			names = append(names, artifacts.DomainCol(d, suf))
		}
	}
	return names
}

// CPUCores is the cpu_cores of the first available environment table
// (environment/v1) that records it; 0 when none does.
func CPUCores(arts []engine.Artifact) (float64, error) {
	for _, a := range arts {
		if !a.Available {
			continue
		}
		tbl, err := artifacts.ReadParquetColumns(a.Path, []string{"key", "value"})
		if err != nil {
			return 0, fmt.Errorf("environment: %w", err)
		}
		keys, _, kerr := artifacts.StringCol(tbl, "key")
		vals, _, verr := artifacts.StringCol(tbl, "value")
		tbl.Release()
		if kerr != nil || verr != nil {
			return 0, fmt.Errorf("environment %s: %w", a.Path, errors.Join(kerr, verr))
		}
		if n := CPUCoresOf(keys, vals); n > 0 {
			return n, nil
		}
	}
	return 0, nil
}

// CPUCoresOf is the cpu_cores value of one environment table's key and
// value columns; 0 when it has none (or not a positive number).
func CPUCoresOf(keys, values []string) float64 {
	for i, k := range keys {
		if k == "cpu_cores" {
			if v, err := strconv.ParseFloat(values[i], 64); err == nil && v > 0 {
				return v
			}
		}
	}
	return 0
}
