package engine

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeChain writes an n-stage pipeline: one import, then stats stages
// each reading the previous one's table through a local.
func writeChain(b *testing.B, n int) string {
	b.Helper()
	var src strings.Builder
	src.WriteString("variable \"alpha\" {\n  default = 0.05\n}\n\nstage \"import\" \"s0\" {\n  path = \"runs.csv\"\n}\n\n")
	prev := "stage.import.s0"
	for i := 1; i < n; i++ {
		fmt.Fprintf(&src, "locals {\n  in%d = %s.table\n}\n\nstage \"stats\" \"s%d\" {\n  input = local.in%d\n  alpha = var.alpha * %d\n}\n\n", i, prev, i, i, i)
		prev = fmt.Sprintf("stage.stats.s%d", i)
	}
	dir := b.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "pipeline.hcl"), []byte(src.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	return dir
}

// BenchmarkLoad100 loads and fully checks a 100-stage pipeline.
func BenchmarkLoad100(b *testing.B) {
	dir := writeChain(b, 100)
	reg := testRegistry()
	for b.Loop() {
		if _, diags := Load(dir, reg, LoadOptions{}); diags.HasErrors() {
			b.Fatal(diags.Error())
		}
	}
}

// BenchmarkEvalAll100 evaluates every stage of a 100-stage pipeline
// once with known upstream outputs, as a plan does.
func BenchmarkEvalAll100(b *testing.B) {
	p, diags := Load(writeChain(b, 100), testRegistry(), LoadOptions{})
	if diags.HasErrors() {
		b.Fatal(diags.Error())
	}
	up := map[string]map[string]Artifact{}
	for _, s := range p.Stages {
		up[s.Addr] = map[string]Artifact{"table": {Path: "/x", SHA256: "00", Available: true}}
	}
	for b.Loop() {
		for _, s := range p.Order() {
			if _, _, d := p.Eval(s.Addr, up); d.HasErrors() {
				b.Fatal(d.Error())
			}
		}
	}
}
