package stats

import (
	"strings"
	"testing"

	astats "github.com/tr119/tr119/analysis/stats"
	"github.com/tr119/tr119/artifacts"
)

// A mode where no cell has a total (no power counters on the machine) is
// tested on infra cost, and the notes say so; a mode where cells have
// totals is tested on them, leaving out the cells without one.
func TestCompareFallsBackToInfra(t *testing.T) {
	var rows []costRow
	for _, b := range []struct {
		name  string
		infra float64
	}{{"a", 1}, {"b", 2}, {"c", 3}} {
		for i, sc := range []string{"s1", "s2", "s3"} {
			d := float64(i) / 10
			rows = append(rows,
				costRow{mode: "prefill", backend: b.name, scenario: sc, infra: b.infra + d},
				costRow{mode: "generate", backend: b.name, scenario: sc, infra: b.infra + d, total: 10*b.infra + d, hasTotal: b.name != "c"})
		}
	}
	groups, _, pairs, notes := compare(rows, "on_demand", 0.95)
	if len(notes) != 2 || !strings.Contains(notes[0], "prefill: no cell has a total in tier on_demand") ||
		!strings.Contains(notes[1], "generate: 3 of 9 cells without a total in tier on_demand") {
		t.Fatalf("notes = %q, want prefill's fallback and generate's left-out cells", notes)
	}
	seen := map[string]bool{}
	want := map[string]string{"prefill": metricInfra, "generate": metricTotal}
	for _, o := range groups.Objects() {
		seen[o[artifacts.ACMode].(string)+"/"+o[artifacts.ACBackend].(string)] = true
		if got := o["metric"]; got != want[o[artifacts.ACMode].(string)] {
			t.Errorf("%v %v: metric %v, want %s", o[artifacts.ACMode], o[artifacts.ACBackend], got, want[o[artifacts.ACMode].(string)])
		}
	}
	if !seen["prefill/c"] || seen["generate/c"] {
		t.Errorf("groups %v: want c tested in prefill (infra) and left out of generate (no total)", seen)
	}
	for _, o := range pairs.Objects() {
		mode := o[artifacts.ACMode].(string)
		if o["backend_a"] != "a" {
			continue
		}
		wantA := map[string]float64{"prefill": 1.1, "generate": 10.1}[mode]
		if got := o["mean_a"].(float64); got < wantA-1e-9 || got > wantA+1e-9 {
			t.Errorf("%s mean_a = %v, want %v", mode, got, wantA)
		}
	}
}

func TestAllEqual(t *testing.T) {
	if x, ok := allEqual([]astats.Group{{Values: []float64{0, 0}}, {Values: []float64{0}}}); !ok || x != 0 {
		t.Errorf("all zero: %v %v", x, ok)
	}
	if _, ok := allEqual([]astats.Group{{Values: []float64{0, 0}}, {Values: []float64{1}}}); ok {
		t.Error("0 and 1 are not all equal")
	}
}
