// Package checks owns tr119's validation: findings about a runs table
// (degraded runs, missing repetitions, energy windows with too few samples,
// throughput that disagrees with tokens / latency, token accounting,
// drift between a cell and its repeat) and about priced cells (negative
// or missing costs, tier order, energy and carbon consistent with the
// conversion factors). Each finding has a check id, a severity (fail,
// warn, info), a cell and a message. The package does no I/O.
package checks
