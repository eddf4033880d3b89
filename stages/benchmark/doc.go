// Package benchmark owns the `benchmark` stage kind and the `scenario`
// data block. A benchmark opens a model folder with a backend (ONNX
// Runtime), resolves each scenario's prompts into padded batches, and
// times every cell (scenario x mode) in a seeded random order: warmups
// first (kept, flagged, never counted), then the repetitions, one row per
// timed call (repetition x prompt), and at the end the first cell again
// (drift_check rows). Runs that error, time out or break an invariant are
// degraded with their reason. Finished cells are checkpointed so an
// interrupted stage resumes. Outputs: the runs table (runs/v2), the raw
// per-call latencies (calls) and the environment table.
package benchmark
