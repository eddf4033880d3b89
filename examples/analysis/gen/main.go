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
