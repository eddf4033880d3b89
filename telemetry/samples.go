package telemetry

import (
	"fmt"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/tr119/tr119/artifacts"
)

// SamplesVersion is the contract version of the raw samples table, in its
// schema metadata under artifacts.SchemaKey.
const SamplesVersion = "telemetry_samples/v1"

// Samples table columns. One row per reading, long format, grouped by
// (domain, device, channel) in sorted order, each group in the order read
// (time order; window rows in the order they were attributed):
//   - t_ns: nanoseconds since the recorder started on its monotonic clock
//     (Mark.Offset's base);
//   - domain: "gpu", "cpu_package", "dram", "system", "process" or
//     "window";
//   - device: "gpu0", a powercap zone ("intel-rapl:0"), "self" or "";
//   - channel: "energy_j" (cumulative counter, joules, wraps undone),
//     "power_sample_w" (driver power sample), GPU status keys
//     ("util_gpu_pct", "mem_used_bytes", "temp_c", "sm_clock_mhz",
//     "throttle_reasons", "power_usage_w", "power_limit_w"), "cpu_busy_s"
//     and "cpu_total_s" (system, all CPUs), "cpu_s", "rss_bytes",
//     "peak_rss_bytes" (process), "window_start" and "window_end" (every
//     window attributed, value = its index, in call order);
//   - value: the reading.
const (
	SamplesColT       = "t_ns"
	SamplesColDomain  = "domain"
	SamplesColDevice  = "device"
	SamplesColChannel = "channel"
	SamplesColValue   = "value"
)

// Metadata keys of the samples table besides the schema version.
const (
	SamplesMetaStart    = "tr119.telemetry.start_unix_ns"
	SamplesMetaInterval = "tr119.telemetry.interval_ns"
)

// SamplesSchema is the Arrow schema of telemetry_samples/v1; startUnixNS
// and interval go into its metadata.
func SamplesSchema(startUnixNS int64, intervalNS int64) *arrow.Schema {
	md := arrow.NewMetadata(
		[]string{artifacts.SchemaKey, SamplesMetaStart, SamplesMetaInterval},
		[]string{SamplesVersion, strconv.FormatInt(startUnixNS, 10), strconv.FormatInt(intervalNS, 10)})
	return arrow.NewSchema([]arrow.Field{
		{Name: SamplesColT, Type: arrow.PrimitiveTypes.Int64},
		{Name: SamplesColDomain, Type: arrow.BinaryTypes.String},
		{Name: SamplesColDevice, Type: arrow.BinaryTypes.String},
		{Name: SamplesColChannel, Type: arrow.BinaryTypes.String},
		{Name: SamplesColValue, Type: arrow.PrimitiveTypes.Float64},
	}, &md)
}

// WriteSamples writes every reading so far as a telemetry_samples/v1
// Parquet file at path, atomically. Sampling goes on meanwhile.
func (r *Recorder) WriteSamples(path string) error {
	schema := SamplesSchema(r.wallBase, int64(r.opts.Interval))
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	ts := b.Field(0).(*array.Int64Builder)
	dom := b.Field(1).(*array.StringBuilder)
	dev := b.Field(2).(*array.StringBuilder)
	ch := b.Field(3).(*array.StringBuilder)
	val := b.Field(4).(*array.Float64Builder)
	r.mu.Lock()
	for _, k := range r.data.keys() {
		for _, p := range r.data.get(k) {
			ts.Append(p.T)
			dom.Append(k.domain)
			dev.Append(k.device)
			ch.Append(k.channel)
			val.Append(p.V)
		}
	}
	r.mu.Unlock()
	rec := b.NewRecordBatch()
	defer rec.Release()
	if err := artifacts.WriteRecords(path, schema, []arrow.RecordBatch{rec}); err != nil {
		return fmt.Errorf("write telemetry samples: %w", err)
	}
	return nil
}
