// Command gen writes a seeded synthetic runs table (runs/v1 columns) as
// CSV, for the analysis example and its benchmarks:
//
//	go run ./examples/analysis/gen -o examples/analysis/runs.csv             # the 350-run matrix
//	go run ./examples/analysis/gen -rows 1000000 -o /tmp/runs-1m.csv          # a million counted rows
//	go run ./examples/analysis/gen -rows 1000000 -parquet -o /tmp/runs.parquet
//
// The default matrix is the report's: 5 backends x 5 scenarios x 2 modes
// x 7 repetitions, 2 prompts each, 2 warmups per cell.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/tr119/tr119/artifacts"
	"github.com/tr119/tr119/bench/synthruns"
)

func main() {
	out := flag.String("o", "runs.csv", "output file")
	rows := flag.Int("rows", 0, "at least this many counted rows (0: the 350-run matrix)")
	seed := flag.Uint64("seed", 119, "random seed")
	parquet := flag.Bool("parquet", false, "write Parquet instead of CSV")
	flag.Parse()
	if err := run(*out, *rows, *seed, *parquet); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(out string, rows int, seed uint64, parquet bool) error {
	cfg := synthruns.Default()
	cfg.Seed = seed
	if rows > 0 {
		cfg = cfg.WithRows(rows)
	}
	if parquet {
		return synthruns.WriteParquet(out, cfg)
	}
	f, err := artifacts.CreateAtomic(out)
	if err != nil {
		return err
	}
	if err := synthruns.WriteCSV(f, cfg); err != nil {
		f.Abort()
		return err
	}
	return f.Commit()
}
