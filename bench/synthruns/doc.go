// Package synthruns generates seeded synthetic runs tables (runs/v2
// columns) for tests, examples and benchmarks of the analysis stages: a
// matrix of backends x scenarios x modes x repetitions x prompts with
// warmups, log-normal noise on throughput and power, and per-call energy
// for the domains a backend's device class measures. The same Config and
// seed always give the same rows.
package synthruns
