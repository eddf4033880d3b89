package checks

import (
	"math"
	"strings"
	"testing"

	"github.com/tr119/tr119/analysis/runs"
)

func TestBusy(t *testing.T) {
	nan := math.NaN()
	u := func(backend string, sys, cpu, lat float64) Usage {
		return Usage{Backend: backend, Scenario: "s", Mode: "prefill", SystemUtil: sys, ProcessCPUS: cpu, LatencyS: lat}
	}
	for _, tc := range []struct {
		name    string
		rows    []Usage
		cores   float64
		want    []string // backends flagged
		skipped string
	}{
		{"quiet machine", []Usage{u("a", 0.30, 0.5, 1), u("a", 0.40, 0.5, 1)}, 2, nil, ""},
		// 2 cores, the backend uses both (2 CPU s per wall s): the
		// machine is busy with the backend itself.
		{"busy with itself", []Usage{u("a", 0.98, 2, 1), u("a", 0.96, 2, 1)}, 2, nil, ""},
		// The backend uses one core of four while the machine is 95% busy.
		{"busy with other load", []Usage{u("a", 0.95, 1, 1), u("b", 0.50, 1, 1)}, 4, []string{"a"}, ""},
		{"just under the threshold", []Usage{u("a", 0.84, 0, 1)}, 4, nil, ""},
		{"own share leaves less than a quarter", []Usage{u("a", 0.90, 2.8, 1)}, 4, nil, ""},
		// Without the core count the backend's share is unknown: a
		// backend using every core would look like other load.
		{"cores unknown", []Usage{u("a", 0.95, 2, 1)}, 0, nil, SkippedNoCores},
		{"no utilisation recorded", []Usage{u("a", nan, 1, 1)}, 4, nil, SkippedNoUtil},
		// The process's CPU time unknown: flagged, its share NaN.
		{"process CPU unknown", []Usage{u("a", 0.95, nan, 1)}, 4, []string{"a"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cells, skipped := Busy(tc.rows, tc.cores)
			var got []string
			for _, c := range cells {
				got = append(got, c.Backend)
			}
			if strings.Join(got, ",") != strings.Join(tc.want, ",") || skipped != tc.skipped {
				t.Errorf("flagged %v skipped %q, want %v %q", got, skipped, tc.want, tc.skipped)
			}
		})
	}
}

func TestBusyFindings(t *testing.T) {
	f := BusyFindings([]BusyCell{{"a", "s", "decode", 0.95, 0.25}, {"b", "s", "decode", 0.9, math.NaN()}})
	if len(f) != 2 || f[0].Check != "busy_machine" || f[0].Severity != Warn || f[0].Value != 0.95 {
		t.Fatalf("findings %+v", f)
	}
	if !strings.Contains(f[0].Message, "95% busy on average while the backend used 25% of it") {
		t.Errorf("message %q", f[0].Message)
	}
	if strings.Contains(f[1].Message, "backend used") {
		t.Errorf("message %q names an unknown share", f[1].Message)
	}
}

func TestUsageOfCountsOnlyTimedOKRows(t *testing.T) {
	r := &runs.Rows{Backend: []string{"a", "a", "a"}, Scenario: []string{"s", "s", "s"}, Mode: []string{"m", "m", "m"},
		Warmup: []bool{true, false, false}, Status: []string{"ok", "ok", "degraded"},
		LatencyMS: []float64{1000, 500, 1}, LatencyValid: []bool{true, true, true},
		SystemCPUUtil: []float64{0.9, 0.8, 0.7}, ProcessCPUS: []float64{1, 0.5, 0.1}}
	got := UsageOf(r)
	if len(got) != 1 || got[0].SystemUtil != 0.8 || got[0].LatencyS != 0.5 {
		t.Errorf("UsageOf = %+v, want the one timed ok row", got)
	}
	if UsageOf(&runs.Rows{Backend: []string{"a"}}) != nil {
		t.Error("rows read without usage columns give usage")
	}
}
