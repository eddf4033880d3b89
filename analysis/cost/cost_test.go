package cost

import (
	"math"
	"strings"
	"testing"

	"github.com/tr119/tr119/analysis/runs"
)

func summaryOf(t *testing.T, res *Result, backend, mode, tier string) Summary {
	t.Helper()
	for _, s := range res.Summary {
		if s.Backend == backend && s.Mode == mode && s.Tier == tier {
			return s
		}
	}
	t.Fatalf("no summary for %s/%s/%s", backend, mode, tier)
	return Summary{}
}

func TestAggregateRules(t *testing.T) {
	// By hand. s1: 1000 tok/s (1000 s/1M) at 10 W (0.0027778 kWh/1M);
	// s2: 500 tok/s (2000 s/1M) at 40 W (0.0222222 kWh/1M).
	// time: 1500 s, 0.0125 kWh, P = 0.0125*3.6e6/1500 = 30 W.
	// arithmetic: 750 tok/s -> 1333.33 s, P = 25 W -> 0.0092593 kWh.
	// time with weights s1:3, s2:1: 1250 s, 0.0076389 kWh.
	cells := []runs.Cell{cell("b", "s1", "prefill", 1000, 10), cell("b", "s2", "prefill", 500, 40)}
	tests := []struct {
		name      string
		aggregate string
		weights   map[string]float64
		sec, kwh  float64
		watts     float64
	}{
		{"time", AggregateTime, nil, 1500, 0.0125, 30},
		{"arithmetic", AggregateArithmetic, nil, 1e6 / 750, 25 * (1e6 / 750) / 3.6e6, 25},
		{"weighted", AggregateTime, map[string]float64{"s1": 3, "s2": 1}, 1250, 0.0076389, 0.0076389 * 3.6e6 / 1250},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := Config{Tiers: []Tier{{Name: "on_demand", All: 3.6}}, USDPerKWh: 1, Aggregate: tt.aggregate, Weights: tt.weights}
			res, err := Analyse(cells, cfg)
			if err != nil {
				t.Fatal(err)
			}
			s := summaryOf(t, res, "b", "prefill", "on_demand")
			near(t, "seconds", s.Seconds, tt.sec, 1e-6)
			near(t, "kWh", s.KWh, tt.kwh, 1e-4)
			near(t, "power", s.PowerW, tt.watts, 1e-4)
			// $3.6/h is $0.001/s.
			near(t, "infra", s.Infra, tt.sec*0.001, 1e-9)
			near(t, "total", s.Total, tt.sec*0.001+tt.kwh, 1e-4)
		})
	}
}

func TestTiersByClassAndLocal(t *testing.T) {
	cells := sortCells([]runs.Cell{cell("a-gpu", "s", "prefill", 1000, 100), cell("b-cpu", "s", "prefill", 1000, 100)})
	byClass := func(gpu, cpu float64) PerClass { return PerClass{ByClass: map[string]float64{"gpu": gpu, "cpu": cpu}} }
	loc := &Local{
		HardwareUSD: byClass(8760, 876), LifetimeYears: byClass(2, 1), Utilisation: PerClass{ByClass: map[string]float64{"gpu": 0.5, "cpu": 1}},
		MaintenanceUSDPerYear: byClass(4380, 0),
	}
	local, err := loc.Tier([]string{"cpu", "gpu"})
	if err != nil {
		t.Fatal(err)
	}
	// By hand: gpu (8760/2 + 4380)/(8760*0.5) = $2/h; cpu 876/8760 = $0.1/h.
	near(t, "local gpu rate", local.ByClass["gpu"], 2, 1e-12)
	near(t, "local cpu rate", local.ByClass["cpu"], 0.1, 1e-12)
	cfg := Config{Tiers: []Tier{{Name: "on_demand", ByClass: map[string]float64{"gpu": 1.006, "cpu": 0.17}}}, Local: loc, USDPerKWh: 0.2}
	res, err := Analyse(cells, cfg)
	if err != nil {
		t.Fatal(err)
	}
	// 1000 s/1M = 0.27778 h; 100 W -> 0.027778 kWh -> $0.0055556.
	near(t, "gpu on_demand", summaryOf(t, res, "a-gpu", "prefill", "on_demand").Total, 0.27778*1.006+0.0055556, 1e-4)
	near(t, "cpu on_demand", summaryOf(t, res, "b-cpu", "prefill", "on_demand").Total, 0.27778*0.17+0.0055556, 1e-4)
	near(t, "cpu local", summaryOf(t, res, "b-cpu", "prefill", "local").Total, 0.27778*0.1+0.0055556, 1e-4)
	near(t, "cpu energy_only", summaryOf(t, res, "b-cpu", "prefill", "energy_only").Total, 0.0055556, 1e-4)
	if got := []string{res.Config.Tiers[0].Name, res.Config.Tiers[1].Name, res.Config.Tiers[2].Name}; got[1] != "local" || got[2] != "energy_only" {
		t.Errorf("tier order %v", got)
	}

	cfg.Tiers = []Tier{{Name: "spot", ByClass: map[string]float64{"gpu": 0.3}}}
	cfg.HeadlineTier = "spot" // spot and local: no on_demand, so it must be named
	if _, err := Analyse(cells, cfg); err == nil || !strings.Contains(err.Error(), `pricing tier "spot" has no price for device class "cpu"`) {
		t.Errorf("missing class: %v", err)
	}
	if _, err := (Local{HardwareUSD: PerClass{All: 1}}).Tier([]string{"gpu"}); err == nil || !strings.Contains(err.Error(), "lifetime_years > 0") {
		t.Errorf("local tier without lifetime: %v", err)
	}
	if _, err := loc.Tier([]string{"tpu"}); err == nil || !strings.Contains(err.Error(), `hardware_usd has no value for device class "tpu"`) {
		t.Errorf("local tier, unknown class: %v", err)
	}
}

func TestMissingEnergyKeepsInfra(t *testing.T) {
	c := cell("a-gpu", "s", "prefill", 1000, 100)
	c.Reps[0].HasEnergy = false
	c.EnergyMissing = "gpu energy unavailable: no NVML"
	res, err := Analyse([]runs.Cell{c}, Config{Tiers: []Tier{{Name: "on_demand", All: 3.6}}, USDPerKWh: 0.2})
	if err != nil {
		t.Fatal(err)
	}
	ct := res.CellTiers[0]
	if ct.Infra != 1 || !math.IsNaN(ct.Energy) || !math.IsNaN(ct.Total.Mean) {
		t.Errorf("cell tier %+v: want infra 1 and NaN energy and total", ct)
	}
	if res.Cells[0].Reason == "" || !math.IsNaN(res.Cells[0].KWh.Mean) {
		t.Errorf("cell %+v: want a reason and NaN kWh", res.Cells[0])
	}
	// With no total anywhere, the on-demand winner is ranked on infra and
	// says so; energy-only (no infra part) names no winner.
	if len(res.Winners) != 1 || res.Winners[0].Tier != "on_demand" || res.Winners[0].Basis != BasisInfra || res.Winners[0].BestTotal != 1 {
		t.Errorf("winners %+v: want one on_demand winner on infra at $1", res.Winners)
	}
}

// TestCIsNeverNegative: 1000, 2000 and 4000 s/1M give a t interval
// reaching below zero (2333 +- 3795); a time or a cost is never negative,
// so the seeded bootstrap is used instead, inside the values.
func TestCIsNeverNegative(t *testing.T) {
	reps := []runs.Rep{}
	for i, s := range []float64{1000, 2000, 4000} {
		reps = append(reps, runs.Rep{Repetition: int64(i), Prompts: 1, Tokens: 1e6, Seconds: s, EnergyJ: s * 10, HasEnergy: true})
	}
	res, err := Analyse([]runs.Cell{{Backend: "a", Scenario: "s", Mode: "prefill", DeviceClass: "gpu", Rows: 3, Reps: reps}},
		Config{Tiers: []Tier{{Name: "on_demand", All: 1}}, USDPerKWh: 0.2})
	if err != nil {
		t.Fatal(err)
	}
	c, ct := res.Cells[0], res.CellTiers[0]
	for _, iv := range []Interval{c.Seconds, c.KWh, ct.Total} {
		if !(iv.Low > 0 && iv.Low <= iv.Mean && iv.High >= iv.Mean) {
			t.Errorf("interval %+v: want 0 < low <= mean <= high", iv)
		}
	}
	if c.Seconds.High > 4000 || c.Seconds.Low < 1000 {
		t.Errorf("bootstrap interval %+v outside the values", c.Seconds)
	}
}

func TestCellCIAndWinners(t *testing.T) {
	// Three repetitions at 1000, 2000, 2100 s/1M (1e6 tokens each): mean
	// 1700, sd 608.28, t(0.975, 2) = 4.3027 -> half-width 1511.0.
	reps := []runs.Rep{}
	for i, s := range []float64{1000, 2000, 2100} {
		reps = append(reps, runs.Rep{Repetition: int64(i), Prompts: 1, Tokens: 1e6, Seconds: s, EnergyJ: s * 10, HasEnergy: true})
	}
	slow := runs.Cell{Backend: "a", Scenario: "s", Mode: "prefill", DeviceClass: "gpu", Rows: 3, Reps: reps}
	fast := cell("b", "s", "prefill", 1000, 10)
	res, err := Analyse([]runs.Cell{slow, fast}, Config{Tiers: []Tier{{Name: "on_demand", All: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	c := res.Cells[0]
	near(t, "mean", c.Seconds.Mean, 1700, 1e-6)
	near(t, "ci high", c.Seconds.High, 1700+1511.0, 1e-4)
	near(t, "power", c.PowerW, 10, 1e-12)
	if !math.IsNaN(res.Cells[1].Seconds.Low) {
		t.Errorf("n = 1 CI = %g, want NaN", res.Cells[1].Seconds.Low)
	}
	w := res.Winners[0]
	if w.Best != "b" || w.RunnerUp != "a" {
		t.Errorf("winner %+v", w)
	}
	near(t, "runner-up multiple", w.RunnerUpX, 1.7, 1e-4)
}

func TestConfigErrors(t *testing.T) {
	cells := []runs.Cell{cell("a", "s", "prefill", 1000, 10)}
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"aggregate", Config{Aggregate: "median"}, `aggregate "median"`},
		{"generation mode", Config{Request: Request{GenerationMode: "beam"}}, `generation_mode "beam"`},
		{"duplicate tier", Config{Tiers: []Tier{{Name: "spot"}, {Name: "spot"}}}, `"spot": duplicate`},
		{"negative price", Config{Tiers: []Tier{{Name: "spot", All: -1}}}, `price -1`},
		{"unknown weight", Config{Tiers: []Tier{{Name: "x"}}, Weights: map[string]float64{"nope": 1}}, `scenario "nope"`},
		{"reference", Config{Tiers: []Tier{{Name: "x"}}, ReferenceTier: "y"}, `reference tier "y"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Analyse(cells, tt.cfg)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want %q", err, tt.want)
			}
		})
	}
}

func TestRequestGenerationMode(t *testing.T) {
	// prefill 1000 tok/s, generate 100 tok/s, decode 400 tok/s; $3.6/h is
	// $0.001/s. A 100 + 40 token request: 0.1 s prefill, then 0.4 s
	// generate or 0.1 s decode.
	cells := sortCells([]runs.Cell{
		cell("b", "s", "prefill", 1000, 0), cell("b", "s", "generate", 100, 0), cell("b", "s", "decode", 400, 0),
	})
	for _, tt := range []struct {
		mode string
		genS float64
	}{{"generate", 0.4}, {"decode", 0.1}} {
		cfg := Config{Tiers: []Tier{{Name: "on_demand", All: 3.6}}, Request: Request{PromptTokens: 100, GenerateTokens: 40, GenerationMode: tt.mode}, TokensPerMonth: 140e6, Months: 2}
		res, err := Analyse(cells, cfg)
		if err != nil {
			t.Fatal(err)
		}
		r := res.Requests[0]
		near(t, tt.mode+" prefill s", r.PrefillS, 0.1, 1e-12)
		near(t, tt.mode+" generate s", r.GenerateS, tt.genS, 1e-12)
		near(t, tt.mode+" infra", r.Infra, (0.1+tt.genS)*0.001, 1e-12)
		// 140e6 tokens/month = 1e6 requests/month.
		near(t, tt.mode+" tco month", res.TCO[0].USDPerMonth, r.Total*1e6, 1e-12)
		near(t, tt.mode+" tco total", res.TCO[0].USDTotal, r.Total*2e6, 1e-12)
	}
}
