package engine

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkNoopApply100 is a no-op plan+apply of a 100-stage pipeline
// whose results are already materialised: load, plan, apply (all cached)
// and place the results. Target: < 200 ms per op on a 2-core machine.
func BenchmarkNoopApply100(b *testing.B) {
	h := newHarness(b)
	var src strings.Builder
	for i := range 100 {
		fmt.Fprintf(&src, "stage \"echo\" \"s%d\" {\n  text = \"%d\"\n", i, i)
		if i%10 != 0 {
			fmt.Fprintf(&src, "  inputs = [stage.echo.s%d.out]\n", i-1)
		}
		src.WriteString("}\n")
	}
	h.write(src.String())
	results := filepath.Join(h.dir, "results")
	run := func() *Outcome {
		rec := OpenResultsRecord(filepath.Join(h.dir, ".tr119", "results-record.json"), results)
		CheckResults(h.opts.Store, results, rec, nil)
		p, diags := Load(h.dir, h.reg, LoadOptions{})
		if diags.HasErrors() {
			b.Fatal(diags)
		}
		plan, err := MakePlan(context.Background(), p, h.opts)
		if err != nil {
			b.Fatal(err)
		}
		out, err := Apply(context.Background(), p, plan, h.opts)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := WriteResults(h.opts.Store, p, out, ResultsOptions{Dir: results, Record: rec}); err != nil {
			b.Fatal(err)
		}
		if err := rec.Save(); err != nil {
			b.Fatal(err)
		}
		return out
	}
	if out := run(); out.Count(StatusExecuted) != 100 {
		b.Fatalf("first apply: %d executed", out.Count(StatusExecuted))
	}
	b.ResetTimer()
	for b.Loop() {
		if out := run(); out.Count(StatusCached) != 100 {
			b.Fatalf("no-op apply: %d cached", out.Count(StatusCached))
		}
	}
}
