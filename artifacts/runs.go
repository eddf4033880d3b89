package artifacts

import (
	"github.com/apache/arrow-go/v18/arrow"
)

// RunsVersion is the version of the runs table contract, stored in the
// schema metadata under the key "tr119.schema". Columns are only ever
// added (with a new version), never reinterpreted: runs/v2 added the
// per-window CPU usage columns to runs/v1.
const RunsVersion = "runs/v2"

// RunsV1Version is the first runs table contract, still accepted by import
// (a v1 file is a v2 table without the CPU usage columns).
const RunsV1Version = "runs/v1"

// SchemaKey is the Arrow schema metadata key holding a table's contract
// version (e.g. "runs/v1").
const SchemaKey = "tr119.schema"

// Power domains with per-domain energy columns in the runs table.
const (
	DomainGPU        = "gpu"
	DomainCPUPackage = "cpu_package"
	DomainDRAM       = "dram"
)

// Domains lists the power domains in column order.
var Domains = []string{DomainGPU, DomainCPUPackage, DomainDRAM}

// Energy sources: where an energy number came from.
const (
	SourceCounter     = "measured_counter"
	SourceSamples     = "measured_samples"
	SourceModeled     = "modeled"
	SourceUnavailable = "unavailable"
)

// Modes of a benchmark cell.
const (
	ModePrefill  = "prefill"
	ModeGenerate = "generate"
	ModeDecode   = "decode"
)

// ModeRank orders modes as the report does: prefill, generate, decode; an
// unknown mode ranks after them.
func ModeRank(mode string) int {
	switch mode {
	case ModePrefill:
		return 0
	case ModeGenerate:
		return 1
	case ModeDecode:
		return 2
	}
	return 3
}

// Run statuses.
const (
	StatusOK       = "ok"
	StatusDegraded = "degraded"
)

// Runs table column names (see docs/runs-table.md for units and meaning).
const (
	ColRunID         = "run_id"
	ColBackend       = "backend"
	ColRuntime       = "runtime"
	ColDevice        = "device"
	ColDeviceClass   = "device_class"
	ColModel         = "model"
	ColModelSHA256   = "model_sha256"
	ColScenario      = "scenario"
	ColMode          = "mode"
	ColBatchSize     = "batch_size"
	ColSeqLen        = "seq_len"
	ColRepetition    = "repetition"
	ColPromptIndex   = "prompt_index"
	ColWarmup        = "warmup"
	ColDriftCheck    = "drift_check"
	ColStatus        = "status"
	ColStatusReason  = "status_reason"
	ColLatencyMS     = "latency_ms"
	ColTokens        = "tokens"
	ColThroughput    = "throughput_tok_s"
	ColTTFTMS        = "ttft_ms"
	ColITLMeanMS     = "itl_mean_ms"
	ColITLP50MS      = "itl_p50_ms"
	ColITLP99MS      = "itl_p99_ms"
	ColWindowCalls   = "window_calls"
	ColWindowMS      = "window_ms"
	ColPeakRSSBytes  = "peak_rss_bytes"
	ColProcessCPUS   = "process_cpu_s"   // runs/v2
	ColSystemCPUUtil = "system_cpu_util" // runs/v2
	ColEnvironmentID = "environment_id"
)

// Per-domain column suffixes: the column is DOMAIN + "_" + suffix, e.g.
// "gpu_energy_j".
const (
	SufEnergyJ       = "energy_j"
	SufEnergyActiveJ = "energy_active_j"
	SufPowerW        = "power_w"
	SufSamples       = "samples"
	SufSource        = "source"
	SufSourceReason  = "source_reason"
	SufIdlePowerW    = "idle_power_w"
)

// DomainCol returns the per-domain column name, e.g. DomainCol("gpu",
// SufEnergyJ) is "gpu_energy_j".
func DomainCol(domain, suffix string) string { return domain + "_" + suffix }

// RunsSchema returns the Arrow schema of the runs table, runs/v2. Nullable
// float columns hold null where a value does not apply (ttft for prefill)
// or was not measured (energy with source "unavailable").
func RunsSchema() *arrow.Schema { return runsSchema(RunsVersion) }

// RunsV1Schema returns the runs/v1 schema: runs/v2 without process_cpu_s
// and system_cpu_util.
func RunsV1Schema() *arrow.Schema { return runsSchema(RunsV1Version) }

func runsSchema(version string) *arrow.Schema {
	str := arrow.BinaryTypes.String
	i64 := arrow.PrimitiveTypes.Int64
	f64 := arrow.PrimitiveTypes.Float64
	b := arrow.FixedWidthTypes.Boolean
	f := func(name string, t arrow.DataType, nullable bool) arrow.Field {
		return arrow.Field{Name: name, Type: t, Nullable: nullable}
	}
	fields := []arrow.Field{
		f(ColRunID, str, false),
		f(ColBackend, str, false),
		f(ColRuntime, str, false),
		f(ColDevice, str, false),
		f(ColDeviceClass, str, false),
		f(ColModel, str, false),
		f(ColModelSHA256, str, false),
		f(ColScenario, str, false),
		f(ColMode, str, false),
		f(ColBatchSize, i64, false),
		f(ColSeqLen, i64, false),
		f(ColRepetition, i64, false),
		f(ColPromptIndex, i64, false),
		f(ColWarmup, b, false),
		f(ColDriftCheck, b, false),
		f(ColStatus, str, false),
		f(ColStatusReason, str, false),
		f(ColLatencyMS, f64, true),
		f(ColTokens, i64, false),
		f(ColThroughput, f64, true),
		f(ColTTFTMS, f64, true),
		f(ColITLMeanMS, f64, true),
		f(ColITLP50MS, f64, true),
		f(ColITLP99MS, f64, true),
		f(ColWindowCalls, i64, false),
		f(ColWindowMS, f64, true),
		f(ColPeakRSSBytes, i64, true),
	}
	if version != RunsV1Version {
		fields = append(fields, f(ColProcessCPUS, f64, true), f(ColSystemCPUUtil, f64, true))
	}
	for _, d := range Domains {
		fields = append(fields,
			f(DomainCol(d, SufEnergyJ), f64, true),
			f(DomainCol(d, SufEnergyActiveJ), f64, true),
			f(DomainCol(d, SufPowerW), f64, true),
			f(DomainCol(d, SufSamples), i64, false),
			f(DomainCol(d, SufSource), str, false),
			f(DomainCol(d, SufSourceReason), str, false),
			f(DomainCol(d, SufIdlePowerW), f64, true),
		)
	}
	fields = append(fields, f(ColEnvironmentID, str, false))
	md := arrow.NewMetadata([]string{SchemaKey}, []string{version})
	return arrow.NewSchema(fields, &md)
}
