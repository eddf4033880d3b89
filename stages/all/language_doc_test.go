package all

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/tr119/tr119/engine"
)

// hclBlock matches a fenced ```hcl block of a Markdown file.
var hclBlock = regexp.MustCompile("(?s)```hcl\n(.*?)```")

// Every example of docs/language.md is a complete pipeline that loads
// without a diagnostic and whose every stage instance evaluates with made-up
// upstream outputs; together they show every construct of the language.
func TestLanguageDocExamples(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "language.md"))
	if err != nil {
		t.Fatal(err)
	}
	blocks := hclBlock.FindAllStringSubmatch(string(doc), -1)
	if len(blocks) < 10 {
		t.Fatalf("docs/language.md has %d hcl examples, want one per construct", len(blocks))
	}
	var all strings.Builder
	for i, m := range blocks {
		src := m[1]
		all.WriteString(src)
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "pipeline.hcl"), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "notes.txt"), mustRead(t, "testdata/language/notes.txt"), 0o644); err != nil {
			t.Fatal(err)
		}
		p, diags := engine.Load(dir, Registry(), engine.LoadOptions{})
		if diags.HasErrors() {
			t.Errorf("example %d:\n%s\n%s", i+1, src, diags.Error())
			continue
		}
		up := fakeUpstream(p)
		for _, st := range p.Order() {
			if _, _, diags := p.Eval(st.Addr, up); diags.HasErrors() {
				t.Errorf("example %d: %s: %s", i+1, st.Addr, diags.Error())
			}
		}
	}
	for _, construct := range []string{"variable ", "validation {", "locals {", "settings {", "scenario ",
		"values(scenario)", "stage ", "file(", "for_each", "each.key", "each.value", "count", "count.index",
		"[*].", "dynamic ", "depends_on", "stage.import.one.table", "for_each = stage.cost.all", "cost = stage.cost.all"} {
		if !strings.Contains(all.String(), construct) {
			t.Errorf("docs/language.md has no example of %q", construct)
		}
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The table of whole-stage arguments in docs/language.md names every
// argument of every shipped kind and every attribute it fills.
func TestLanguageDocStageInputs(t *testing.T) {
	doc := string(mustRead(t, filepath.Join("..", "..", "docs", "language.md")))
	reg := Registry()
	for _, name := range reg.KindNames() {
		k, _ := reg.Kind(name)
		si, ok := k.(engine.StageInputer)
		if !ok {
			continue
		}
		var rows []string
		for _, line := range strings.Split(doc, "\n") {
			if strings.HasPrefix(line, "| "+name+" |") {
				rows = append(rows, line)
			}
		}
		all := strings.Join(rows, "\n")
		for _, in := range si.StageInputs() {
			if !strings.Contains(all, "`"+in.Attr+"`") {
				t.Errorf("docs/language.md: no row for %s's %s argument", name, in.Attr)
			}
			for _, target := range in.Fills {
				if !strings.Contains(all, "`"+target+"`") {
					t.Errorf("docs/language.md: %s's %s fills %s, not in its rows", name, in.Attr, target)
				}
			}
		}
	}
}
