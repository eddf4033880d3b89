package stats

import (
	aio "github.com/tr119/tr119/stages/internal/analysisio"
	"math"
	"strings"
	"testing"

	"github.com/tr119/tr119/analysis/runs"
	astats "github.com/tr119/tr119/analysis/stats"
	"github.com/tr119/tr119/artifacts"
)

// Like for like: a mode where one cell lacks a total (energy unavailable)
// compares every backend on infra cost, and the notes say so; a mode where
// every cell has a total is tested on totals.
func TestCompareLikeForLike(t *testing.T) {
	var rows []costRow
	for _, b := range []struct {
		name  string
		infra float64
	}{{"a", 1}, {"b", 2}, {"c", 3}} {
		for i, sc := range []string{"s1", "s2", "s3"} {
			d := float64(i) / 10
			rows = append(rows,
				costRow{mode: "prefill", backend: b.name, scenario: sc, infra: b.infra + d, total: 10*b.infra + d, hasTotal: true},
				costRow{mode: "generate", backend: b.name, scenario: sc, infra: b.infra + d, total: 10*b.infra + d, hasTotal: b.name != "c"})
		}
	}
	groups, _, pairs, notes := compare(rows, "on_demand", 0.95)
	if len(notes) != 1 || !strings.Contains(notes[0], "generate: not every cell has a total in tier on_demand") {
		t.Fatalf("notes = %q, want generate's infra basis", notes)
	}
	want := map[string]string{"prefill": metricTotal, "generate": metricInfra}
	seen := map[string]bool{}
	for _, o := range groups.Objects() {
		seen[o[artifacts.ACMode].(string)+"/"+o[artifacts.ACBackend].(string)] = true
		if got := o["metric"]; got != want[o[artifacts.ACMode].(string)] {
			t.Errorf("%v %v: metric %v, want %s", o[artifacts.ACMode], o[artifacts.ACBackend], got, want[o[artifacts.ACMode].(string)])
		}
		if lo, ok := o[artifacts.ASCILow].(float64); ok && lo <= 0 {
			t.Errorf("%v %v: CI low %v <= 0", o[artifacts.ACMode], o[artifacts.ACBackend], lo)
		}
	}
	if !seen["generate/c"] {
		t.Error("c is left out of generate: want it compared on infra")
	}
	for _, o := range pairs.Objects() {
		mode := o[artifacts.ACMode].(string)
		if o["backend_a"] != "a" || o["backend_b"] != "b" {
			continue
		}
		wantA := map[string]float64{"prefill": 10.1, "generate": 1.1}[mode]
		if got := o["mean_a"].(float64); math.Abs(got-wantA) > 1e-9 {
			t.Errorf("%s mean_a = %v, want %v", mode, got, wantA)
		}
		// b/a per scenario: the paired test sees the consistent factor.
		if o[artifacts.ASPairedN] != 3 || o[artifacts.ASPairedR] == nil {
			t.Errorf("%s paired: n %v ratio %v", mode, o[artifacts.ASPairedN], o[artifacts.ASPairedR])
		}
	}
}

// One scenario: the omnibus rank test has no power (one value per
// backend) and is not run; the per-cell test over repetitions still runs.
func TestOneScenario(t *testing.T) {
	var rows []costRow
	var cells []runs.Cell
	for k, b := range []string{"llamacpp-q4", "vllm-fp16"} {
		rows = append(rows, costRow{mode: "generate", backend: b, scenario: "chat", infra: 1 + float64(k), total: 1.1 + float64(k),
			hasTotal: true, usdPerHour: 3.6, energyUSD: 0.1})
		c := runs.Cell{Backend: b, Scenario: "chat", Mode: "generate", DeviceClass: "gpu"}
		for r, s := range []float64{1000, 1010, 990, 1005} {
			sec := s * float64(1+k)
			c.Reps = append(c.Reps, runs.Rep{Repetition: int64(r), Prompts: 1, Tokens: 1e6, Seconds: sec, EnergyJ: sec * 100, HasEnergy: true})
		}
		cells = append(cells, c)
	}
	_, tests, pairs, notes := compare(append([]costRow(nil), rows...), "gold", 0.95)
	if len(tests.Rows) != 0 {
		t.Errorf("tests %v: want none with one value per backend", tests.Rows)
	}
	if !strings.Contains(strings.Join(notes, "\n"), "cannot tell") {
		t.Errorf("notes %q: want the rank test's 'cannot tell'", notes)
	}
	if o := pairs.Objects()[0]; o[artifacts.ASPairedP] != nil {
		t.Errorf("paired p %v with one scenario: want null", o[artifacts.ASPairedP])
	}
	cp := cellPairs(rows, cells, "gold").Objects()
	if len(cp) != 1 {
		t.Fatalf("cell pairs %v: want one", cp)
	}
	o := cp[0]
	if p, _ := o[artifacts.ASWelchPH].(float64); p >= 0.001 || o[artifacts.ASNA] != 4 {
		t.Errorf("cell pair %v: want n = 4 and a tiny p (b takes twice as long)", o)
	}
	// Per repetition: 1000 s/1M at $3.6/h = $1, plus 0.1 $/1M of energy.
	if m := o[artifacts.ASMeanA].(float64); math.Abs(m-(1.00125+0.1)) > 1e-3 {
		t.Errorf("mean_a = %v, want about 1.101", m)
	}
}

func TestHeadlineTierAgreement(t *testing.T) {
	if got, err := aio.HeadlineTier("gold", ""); got != "gold" || err != nil {
		t.Errorf("default = %q, %v; want the cost stage's gold", got, err)
	}
	if _, err := aio.HeadlineTier("gold", "on_demand"); err == nil || !strings.Contains(err.Error(), `headline_tier is "gold"`) {
		t.Errorf("disagreeing tier: %v", err)
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
