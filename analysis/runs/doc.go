// Package runs turns the runs table (runs/v2, one row per timed call) into
// cells (backend x scenario x mode) whose samples are repetitions: a
// repetition sums tokens, seconds and energy over its prompts, so its
// throughput is tokens / time and its power is energy / time. Warmups,
// drift-check rows and degraded rows are excluded (and counted). It also
// owns the row checks every analysis relies on: bad values name the row
// and the column.
package runs
