// Package benchmark owns the `benchmark` stage kind and the `scenario`
// data block. A benchmark opens a model output with a backend plug-in
// (backends.Registry, passed in: each backend owns a nested block of the
// stage, declares its runtime and may run out of process), resolves each
// scenario's prompts into padded batches, and times every cell (scenario
// x mode) in a seeded random order: warmups first (kept, flagged, never
// counted), then the repetitions, one row per timed call (repetition x
// prompt), and at the end the first measured cell again (drift_check
// rows). Runs that error, time out or break an invariant are degraded
// with their reason; a mode the backend cannot run makes its cells not
// applicable. Finished cells are checkpointed so an interrupted stage
// resumes. Outputs: the runs table (runs/v2), the raw per-call latencies
// (calls), the cells table (cells/v1), telemetry samples and the
// environment table. The label is display-only: a rename relabels cached
// outputs (engine.Relabeler) instead of measuring again.
package benchmark
