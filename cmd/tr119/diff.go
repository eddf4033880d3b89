package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/tr119/tr119/compare"
)

// diff compares two results folders (or manifests). Exit status as
// diff(1): 0 no regression, 1 a throughput dropped or a cost rose more than -threshold,
// 2 usage or read errors.
func (a *app) diff(ctx context.Context, argv []string) int {
	fs := flag.NewFlagSet("tr119 diff", flag.ContinueOnError)
	fs.SetOutput(a.stderr)
	threshold := fs.Float64("threshold", 0.10, "relative throughput drop that fails (0.10 = 10%)")
	alpha := fs.Float64("alpha", 0.05, "significance level of the Welch t-tests")
	tier := fs.String("tier", "", "cost tier whose costs are compared (default: the cost stage's headline_tier)")
	format := fs.String("format", "text", "output: text or markdown")
	asJSON := fs.Bool("json", false, "write the comparison as JSON")
	fs.Usage = func() {}
	// Flags may come before or after the two paths.
	pos, err := parseInterspersed(fs, argv)
	if errors.Is(err, flag.ErrHelp) {
		a.help(a.stdout, fs)
		return 0
	}
	if err != nil {
		return 2
	}
	if len(pos) != 2 {
		fmt.Fprintln(a.stderr, "Usage: tr119 diff [flags] A B (A and B are results folders or their manifest.json)")
		return 2
	}
	if *format != "text" && *format != "markdown" {
		fmt.Fprintf(a.stderr, "tr119 diff: -format %q: want text or markdown\n", *format)
		return 2
	}
	sides := make([]*compare.Side, 2)
	for i, p := range pos {
		// Like verify, each side may also be a workspace: its results.
		if m, _, err := verifyTarget(p); err == nil {
			p = m
		}
		s, err := compare.Load(p, *tier)
		if err != nil {
			fmt.Fprintf(a.stderr, "tr119 diff: %v\n", err)
			return 2
		}
		sides[i] = s
	}
	r := compare.Diff(sides[0], sides[1], compare.Options{Threshold: *threshold, Alpha: *alpha, Tier: *tier})
	write := compare.WriteText
	switch {
	case *asJSON:
		write = compare.WriteJSON
	case *format == "markdown":
		write = compare.WriteMarkdown
	}
	if err := write(a.stdout, r); err != nil {
		fmt.Fprintf(a.stderr, "tr119 diff: %v\n", err)
		return 2
	}
	if r.Regressions > 0 {
		return 1
	}
	return 0
}
