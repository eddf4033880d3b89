package engine

import (
	"io"
	"os"
	"path/filepath"
	"testing"
)

// FuzzLoad feeds arbitrary text to the decoder as a one-file workspace
// and evaluates every stage of whatever loads: no input may panic.
// Seeds are every fixture under testdata/config.
func FuzzLoad(f *testing.F) {
	seeds, err := filepath.Glob(filepath.Join("testdata", "config", "*", "*.hcl"))
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range seeds {
		b, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	reg := testRegistry()
	ws, err := filepath.Abs(fixture("ok")) // so file("prompts.txt") can succeed
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		opts := LoadOptions{Vars: []VarArg{{Name: "price", Value: "2"}}, Environ: []string{"TR119_VAR_tags=[\"x\"]"}}
		p, diags := loadSources(ws, map[string][]byte{"fuzz.hcl": src}, reg, opts)
		if p == nil {
			t.Fatal("nil pipeline")
		}
		_ = WriteDiagnostics(io.Discard, p, diags, 80, false)
		for _, s := range p.Order() {
			_, _, _ = p.Eval(s.Addr, nil)
		}
		for _, format := range []string{"dot", "mermaid"} {
			if _, err := Graph(p, nil, format); err != nil {
				t.Fatal(err)
			}
		}
	})
}
