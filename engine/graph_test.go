package engine

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestGraph(t *testing.T) {
	p := loadOK(t, LoadOptions{})
	actions := map[string]string{
		"stage.import.runs":   "cached",
		"stage.cost.main":     "rerun",
		"stage.stats.summary": "run",
		// stage.stats.alone has no action: drawn unfilled
	}
	tests := []struct{ format, golden string }{
		{"dot", "graph.dot.golden"},
		{"mermaid", "graph.mermaid.golden"},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			got, err := Graph(p, actions, tt.format)
			if err != nil {
				t.Fatal(err)
			}
			again, _ := Graph(p, actions, tt.format)
			if got != again {
				t.Errorf("graph text differs between calls")
			}
			checkGolden(t, filepath.Join(fixture("ok"), tt.golden), got)
		})
	}
	errs := []struct {
		actions map[string]string
		format  string
		want    string
	}{
		{nil, "svg", `unknown format "svg"`},
		{map[string]string{"stage.cost.main": "skip"}, "dot", `unknown action "skip"`},
	}
	for _, e := range errs {
		if _, err := Graph(p, e.actions, e.format); err == nil || !strings.Contains(err.Error(), e.want) {
			t.Errorf("Graph(%v, %q) error %v, want %q", e.actions, e.format, err, e.want)
		}
	}
}

// Instance addresses hold quotes: DOT escapes them, Mermaid uses #quot;.
func TestGraphInstances(t *testing.T) {
	p := loadSrc(t, instancesSrc(t), LoadOptions{})
	actions := map[string]string{`stage.import.in["a"]`: "run"}
	dot, err := Graph(p, actions, "dot")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"stage.import.in[\"a\"]" [label="stage.import.in[\"a\"]\nrun", fillcolor="#fde68a"];`,
		`"stage.import.in[\"b/c\"]" -> "stage.stats.per[\"b/c\"]";`, `"stage.import.n[1]" -> "stage.cost.all";`} {
		if !strings.Contains(dot, want) {
			t.Errorf("dot lacks %s:\n%s", want, dot)
		}
	}
	mm, err := Graph(p, actions, "mermaid")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(mm, `["stage.import.in[#quot;a#quot;]<br/>run"]:::run`) || strings.Contains(mm, `in["a"]`) {
		t.Errorf("mermaid:\n%s", mm)
	}
}
