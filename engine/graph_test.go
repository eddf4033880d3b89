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
