package engine

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// TestNestingTooDeep: nesting 100,000 deep (which overflows the HCL
// parser's stack and kills the process) is refused with a located
// diagnostic, in a pipeline file, a variables file and a -var value.
func TestNestingTooDeep(t *testing.T) {
	deep := strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000)
	src := "variable \"deep\" {\n  type = any\n  default = " + deep + "\n}\n"
	ws := t.TempDir()
	p, diags := loadSources(ws, map[string][]byte{"pipeline.hcl": []byte(src)}, testRegistry(), LoadOptions{})
	wantDeep(t, diags, "pipeline.hcl", 3)
	_ = renderDiags(t, p, diags)

	ok := "variable \"deep\" {\n  type = any\n  default = []\n}\n"
	vars := filepath.Join(ws, "deep.vars")
	if err := os.WriteFile(vars, []byte("deep = "+deep+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, diags = loadSources(ws, map[string][]byte{"pipeline.hcl": []byte(ok)}, testRegistry(), LoadOptions{Vars: []VarArg{{File: vars}}})
	wantDeep(t, diags, vars, 1)

	_, diags = loadSources(ws, map[string][]byte{"pipeline.hcl": []byte(ok)}, testRegistry(), LoadOptions{Vars: []VarArg{{Name: "deep", Value: deep}}})
	wantDeep(t, diags, "<value for var.deep>", 1)
	if !strings.Contains(diags[0].Detail, "-var deep is nested too deep") {
		t.Errorf("detail does not name the -var: %s", diags[0].Detail)
	}

	// Deep but sane nesting still loads.
	sane := "variable \"deep\" {\n  type = any\n  default = " + strings.Repeat("[", 100) + strings.Repeat("]", 100) + "\n}\n"
	if _, diags := loadSources(ws, map[string][]byte{"pipeline.hcl": []byte(sane)}, testRegistry(), LoadOptions{}); diags.HasErrors() {
		t.Errorf("nesting 100 deep refused: %v", diags)
	}
}

func wantDeep(t *testing.T, diags hcl.Diagnostics, file string, line int) {
	t.Helper()
	if len(diags) != 1 || diags[0].Summary != "Nesting too deep" {
		t.Fatalf("want one Nesting too deep diagnostic, got %v", diags)
	}
	r := diags[0].Subject
	if r == nil || r.Filename != file || r.Start.Line != line {
		t.Errorf("diagnostic at %v, want %s line %d", r, file, line)
	}
}

// FuzzLoadNesting loads pipelines nested to any depth with any mix of
// brackets, braces, parentheses and templates: nothing may crash, and
// whatever goes beyond MaxNesting is refused before parsing.
func FuzzLoadNesting(f *testing.F) {
	f.Add(uint32(3), []byte("[{("))
	f.Add(uint32(300), []byte("["))
	f.Add(uint32(100_000), []byte("["))
	f.Add(uint32(200), []byte(`"${`))
	f.Add(uint32(1000), []byte("{a="))
	ws := f.TempDir()
	f.Fuzz(func(t *testing.T, depth uint32, unit []byte) {
		depth %= 200_000
		if len(unit) == 0 || len(unit) > 8 || int(depth)*len(unit) > 1<<20 {
			return
		}
		src := "variable \"x\" {\n  default = " + strings.Repeat(string(unit), int(depth)) + "\n}\n"
		p, diags := loadSources(ws, map[string][]byte{"fuzz.hcl": []byte(src)}, testRegistry(), LoadOptions{})
		if p == nil {
			t.Fatal("nil pipeline")
		}
		for _, d := range diags {
			if d.Summary == "Nesting too deep" && d.Subject == nil {
				t.Fatal("nesting diagnostic without a range")
			}
		}
	})
}

// BenchmarkCheckNesting: the depth pre-check lexes a pipeline once more;
// compare with BenchmarkParsePipeline, the parse it guards.
func BenchmarkCheckNesting(b *testing.B) {
	src, err := os.ReadFile("../pipeline.hcl")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if d := checkNesting(src, "pipeline.hcl", hcl.InitialPos); d != nil {
			b.Fatal(d)
		}
	}
}

// BenchmarkParsePipeline parses the default pipeline.
func BenchmarkParsePipeline(b *testing.B) {
	src, err := os.ReadFile("../pipeline.hcl")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if _, d := hclsyntax.ParseConfig(src, "pipeline.hcl", hcl.InitialPos); d.HasErrors() {
			b.Fatal(d)
		}
	}
}
