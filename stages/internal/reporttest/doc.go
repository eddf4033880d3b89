// Package reporttest builds the fixed fixture the plot and report stages
// are tested on: testdata/runs.csv (3 backends, 2 scenarios, prefill and
// generate, 3 repetitions; transformers-cpu without CPU energy) imported
// and run through the cost and stats kinds, without the engine.
package reporttest
