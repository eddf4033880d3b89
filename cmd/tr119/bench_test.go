package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tr119/tr119/stages/all"
)

// BenchmarkNoopApply100CLI is `tr119 apply` on a 100-stage pipeline whose
// results are already in place: load, plan, apply (all cached), place
// results and write the manifest. Target: < 200 ms per op on 2 cores.
func BenchmarkNoopApply100CLI(b *testing.B) {
	dir := b.TempDir()
	var src strings.Builder
	for i := range 100 {
		fmt.Fprintf(&src, "stage \"echo\" \"s%d\" {\n  text = \"%d\"\n", i, i)
		if i%10 != 0 {
			fmt.Fprintf(&src, "  inputs = [stage.echo.s%d.out]\n", i-1)
		}
		src.WriteString("}\n")
	}
	if err := os.WriteFile(filepath.Join(dir, "pipeline.hcl"), []byte(src.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	reg := all.Registry()
	registerTestKinds(reg)
	var stderr strings.Builder
	a := &app{reg: reg, stdout: io.Discard, stderr: &stderr}
	if code := a.main([]string{"apply", dir}); code != 0 {
		b.Fatalf("first apply: exit %d: %s", code, stderr.String())
	}
	for b.Loop() {
		if code := a.main([]string{"apply", dir}); code != 0 {
			b.Fatalf("no-op apply: exit %d: %s", code, stderr.String())
		}
	}
}
