// Command gen writes a seeded synthetic runs table (runs/v2 columns) as
// CSV, for the analysis example and its benchmarks:
//
//	go run ./examples/analysis/gen -o examples/analysis/runs.csv             # the 350-run matrix
//	go run ./examples/analysis/gen -rows 1000000 -o /tmp/runs-1m.csv          # a million counted rows
//	go run ./examples/analysis/gen -rows 1000000 -parquet -o /tmp/runs.parquet
//
// The default matrix is the report's: 5 backends x 5 scenarios x 2 modes
// x 7 repetitions, 2 prompts each, 2 warmups per cell.
package main
