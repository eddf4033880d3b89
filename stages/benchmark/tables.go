package benchmark

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/tr119/tr119/artifacts"
)

// CallsVersion is the calls table's contract version.
const CallsVersion = "calls/v1"

// EnvironmentVersion is the environment table's contract version.
const EnvironmentVersion = "environment/v1"

// meta describes what every row of the stage shares.
type meta struct {
	label, runtime, device, deviceClass, model, modelSHA, envID string
}

func optF(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

// writeRuns writes the runs table (runs/v2).
func writeRuns(path string, m meta, rows []row) error {
	b := artifacts.NewBuilder(artifacts.RunsSchema())
	defer b.Release()
	for i, r := range rows {
		var ttft, itlMean, itlP50, itlP99, thr, rss any
		ttft = optF(r.TTFTMS)
		if r.ITL != nil {
			itlMean, itlP50, itlP99 = r.ITL.Mean, r.ITL.P50, r.ITL.P99
		}
		if r.LatencyMS != nil && *r.LatencyMS > 0 {
			thr = float64(r.Tokens) / (*r.LatencyMS / 1000)
		}
		if r.PeakRSS != nil {
			rss = *r.PeakRSS
		}
		vals := []any{runID(m.label, r), m.label, m.runtime, m.device, m.deviceClass, m.model, m.modelSHA,
			r.Scenario, r.Mode, r.BatchSize, r.SeqLen, r.Repetition, r.Prompt, r.Warmup, r.Drift,
			r.Status, r.Reason, optF(r.LatencyMS), r.Tokens, thr, ttft, itlMean, itlP50, itlP99,
			r.WindowCalls, optF(r.WindowMS), rss, optF(r.ProcessCPUS), optF(r.SystemCPUUtil)}
		for _, d := range artifacts.Domains {
			e := r.Energy[d]
			if e.Source == "" {
				e = measurement{Source: artifacts.SourceUnavailable, Reason: "not measured"}
			}
			vals = append(vals, optF(e.EnergyJ), optF(e.ActiveJ), optF(e.PowerW), e.Samples,
				e.Source, e.Reason, optF(e.IdlePowerW))
		}
		vals = append(vals, m.envID)
		if err := b.Append(vals...); err != nil {
			return fmt.Errorf("runs row %d: %w", i, err)
		}
	}
	return write(path, b)
}

func write(path string, b *artifacts.Builder) error {
	tbl := b.Table()
	defer tbl.Release()
	if err := artifacts.WriteParquet(path, tbl); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

func callsSchema() *arrow.Schema {
	f := func(n string, t arrow.DataType, null bool) arrow.Field {
		return arrow.Field{Name: n, Type: t, Nullable: null}
	}
	str, i64 := arrow.BinaryTypes.String, arrow.PrimitiveTypes.Int64
	md := arrow.NewMetadata([]string{artifacts.SchemaKey}, []string{CallsVersion})
	return arrow.NewSchema([]arrow.Field{
		f(artifacts.ColRunID, str, false), f(artifacts.ColScenario, str, false), f(artifacts.ColMode, str, false),
		f(artifacts.ColRepetition, i64, false), f(artifacts.ColPromptIndex, i64, false),
		f(artifacts.ColWarmup, arrow.FixedWidthTypes.Boolean, false), f(artifacts.ColDriftCheck, arrow.FixedWidthTypes.Boolean, false),
		f("call", i64, false), f("step", i64, true), f(artifacts.ColLatencyMS, arrow.PrimitiveTypes.Float64, false),
	}, &md)
}

// writeCalls writes every raw latency: one row per call (step null) and
// one per forward step of generate and decode calls (step 0 of decode is
// the time to first token, the others inter-token latencies).
func writeCalls(path, label string, rows []row) error {
	b := artifacts.NewBuilder(callsSchema())
	defer b.Release()
	for _, r := range rows {
		id := runID(label, r)
		for ci, c := range r.Calls {
			base := []any{id, r.Scenario, r.Mode, r.Repetition, r.Prompt, r.Warmup, r.Drift, ci}
			if err := b.Append(append(base, nil, c.LatencyMS)...); err != nil {
				return fmt.Errorf("calls: %w", err)
			}
			if r.Mode == "prefill" {
				continue
			}
			for si, s := range c.StepsMS {
				if err := b.Append(append(base[:8:8], si, s)...); err != nil {
					return fmt.Errorf("calls: %w", err)
				}
			}
		}
	}
	return write(path, b)
}

// writeEnvironment writes the environment table: one row per key, so new
// keys never change the schema.
func writeEnvironment(path, id string, e environment) error {
	str := arrow.BinaryTypes.String
	md := arrow.NewMetadata([]string{artifacts.SchemaKey}, []string{EnvironmentVersion})
	s := arrow.NewSchema([]arrow.Field{{Name: artifacts.ColEnvironmentID, Type: str}, {Name: "key", Type: str}, {Name: "value", Type: str}}, &md)
	b := artifacts.NewBuilder(s)
	defer b.Release()
	for _, k := range e.keys() {
		if err := b.Append(id, k, e[k]); err != nil {
			return fmt.Errorf("environment: %w", err)
		}
	}
	return write(path, b)
}

// CellsVersion is the cells table's contract version.
const CellsVersion = "cells/v1"

// Cell statuses of the cells table.
const (
	// CellMeasured: the cell has rows in the runs table (some may be
	// degraded).
	CellMeasured = "measured"
	// CellNotApplicable: the backend cannot run the mode
	// (backends.ErrUnsupportedMode); the runs table has no row of it.
	CellNotApplicable = "not_applicable"
)

// cellResult is one measured or not-applicable cell.
type cellResult struct {
	cell  cell
	drift bool
	file  cellFile
}

func cellsSchema() *arrow.Schema {
	f := func(n string, t arrow.DataType, null bool) arrow.Field {
		return arrow.Field{Name: n, Type: t, Nullable: null}
	}
	str, i64 := arrow.BinaryTypes.String, arrow.PrimitiveTypes.Int64
	md := arrow.NewMetadata([]string{artifacts.SchemaKey}, []string{CellsVersion})
	return arrow.NewSchema([]arrow.Field{
		f(artifacts.ColBackend, str, false), f(artifacts.ColScenario, str, false), f(artifacts.ColMode, str, false),
		f(artifacts.ColBatchSize, i64, false), f(artifacts.ColSeqLen, i64, false),
		f(artifacts.ColDriftCheck, arrow.FixedWidthTypes.Boolean, false),
		f("status", str, false), f("status_reason", str, false), f("rows", i64, false),
		f("degraded_rows", i64, false), f("peak_gpu_memory_bytes", i64, true),
		f(artifacts.ColEnvironmentID, str, false),
	}, &md)
}

// writeCells writes one row per cell in the order measured, the drift
// check last.
func writeCells(path string, m meta, cells []cellResult) error {
	b := artifacts.NewBuilder(cellsSchema())
	defer b.Release()
	for _, c := range cells {
		status, degraded := CellMeasured, 0
		if c.file.NotApplicable != "" {
			status = CellNotApplicable
		}
		for _, r := range c.file.Rows {
			if r.Status != artifacts.StatusOK {
				degraded++
			}
		}
		var gpu any
		if c.file.PeakGPUMemory != nil {
			gpu = *c.file.PeakGPUMemory
		}
		if err := b.Append(m.label, c.cell.Scenario.Name, string(c.cell.Mode), c.cell.Scenario.BatchSize, c.cell.Set.SeqLen,
			c.drift, status, c.file.NotApplicable, len(c.file.Rows), degraded, gpu, m.envID); err != nil {
			return fmt.Errorf("cells: %w", err)
		}
	}
	return write(path, b)
}
