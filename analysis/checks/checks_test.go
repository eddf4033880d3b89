package checks

import (
	"strings"
	"testing"

	"github.com/tr119/tr119/analysis/runs"
)

// table builds rows for one cpu cell "a/s/prefill" with batch 1, seq_len
// 10, one prompt per repetition, 10 tokens in 10 ms (1000 tok/s).
type rowSpec struct {
	rep             int64
	tokens          int64
	throughput      float64
	samples         int64
	drift, degraded bool
}

func table(specs []rowSpec) *runs.Rows {
	r := &runs.Rows{}
	cpu := runs.Domain{Name: "cpu_package"}
	for i, s := range specs {
		r.RunID = append(r.RunID, string(rune('a'+i)))
		r.Backend = append(r.Backend, "a")
		r.Scenario = append(r.Scenario, "s")
		r.Mode = append(r.Mode, "prefill")
		r.DeviceClass = append(r.DeviceClass, "cpu")
		r.BatchSize = append(r.BatchSize, 1)
		r.SeqLen = append(r.SeqLen, 10)
		r.Repetition = append(r.Repetition, s.rep)
		r.PromptIndex = append(r.PromptIndex, 0)
		r.Tokens = append(r.Tokens, s.tokens)
		r.Warmup = append(r.Warmup, false)
		r.DriftCheck = append(r.DriftCheck, s.drift)
		st := "ok"
		if s.degraded {
			st = "degraded"
		}
		r.Status = append(r.Status, st)
		r.Reason = append(r.Reason, "")
		lat := 10.0
		if s.drift {
			lat = 20 // the repeat runs at half the speed
		}
		r.LatencyMS = append(r.LatencyMS, lat)
		r.LatencyValid = append(r.LatencyValid, true)
		r.Throughput = append(r.Throughput, s.throughput)
		r.ThroughputValid = append(r.ThroughputValid, true)
		cpu.EnergyJ = append(cpu.EnergyJ, 1)
		cpu.EnergyValid = append(cpu.EnergyValid, true)
		cpu.ActiveJ = append(cpu.ActiveJ, 1)
		cpu.ActiveValid = append(cpu.ActiveValid, true)
		cpu.PowerW = append(cpu.PowerW, 100)
		cpu.PowerValid = append(cpu.PowerValid, true)
		cpu.Samples = append(cpu.Samples, s.samples)
		cpu.Source = append(cpu.Source, "measured_counter")
		cpu.SourceReason = append(cpu.SourceReason, "")
	}
	r.Domains = []runs.Domain{cpu}
	return r
}

func find(fs []Finding, check string) *Finding {
	for i := range fs {
		if fs[i].Check == check {
			return &fs[i]
		}
	}
	return nil
}

func TestRunsChecks(t *testing.T) {
	good := rowSpec{0, 10, 1000, 5, false, false}
	tests := []struct {
		name     string
		edit     func([]rowSpec) []rowSpec
		check    string
		severity string
		msg      string
	}{
		{"degraded", func(s []rowSpec) []rowSpec { s[1].degraded = true; return s }, "degraded_runs", Warn, "1 degraded rows"},
		{"few reps", func(s []rowSpec) []rowSpec { s[1].degraded = true; return s }, "too_few_repetitions", Warn, "2 valid repetitions, want 3"},
		{"samples", func(s []rowSpec) []rowSpec { s[0].samples = 1; return s }, "energy_few_samples", Warn, "1 of 3 energy windows"},
		{"throughput", func(s []rowSpec) []rowSpec { s[2].throughput = 900; return s }, "throughput_mismatch", Warn, "1 rows"},
		{"tokens", func(s []rowSpec) []rowSpec { s[2].tokens = 12; s[2].throughput = 1200; return s }, "token_accounting", Fail, "prefill tokens 12 != batch_size 1 x seq_len 10"},
		{"drift", func(s []rowSpec) []rowSpec { return append(s, rowSpec{0, 10, 500, 5, true, false}) }, "drift", Warn, "1 repeat passes, 1 beyond 10%; the largest differs by -50.0%"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			specs := tt.edit([]rowSpec{good, {1, 10, 1000, 5, false, false}, {2, 10, 1000, 5, false, false}})
			r := table(specs)
			cells, err := runs.Cells(r, runs.Options{})
			if err != nil {
				t.Fatal(err)
			}
			fs := Runs(r, cells, Options{MinReps: 3})
			f := find(fs, tt.check)
			if f == nil || f.Severity != tt.severity || !strings.Contains(f.Message, tt.msg) {
				t.Fatalf("finding %+v, want %s %s containing %q (all: %+v)", f, tt.check, tt.severity, tt.msg, fs)
			}
			if f.Backend != "a" || f.Scenario != "s" || f.Mode != "prefill" {
				t.Errorf("cell %s/%s/%s", f.Backend, f.Scenario, f.Mode)
			}
		})
	}
	r := table([]rowSpec{good, {1, 10, 1000, 5, false, false}})
	cells, _ := runs.Cells(r, runs.Options{})
	if fs := Runs(r, cells, Options{}); len(fs) != 0 || !Valid(fs) {
		t.Errorf("clean table: %+v", fs)
	}
}

func TestCostsChecks(t *testing.T) {
	// 1000 s/1M at 36 W is 0.01 kWh/1M; at 500 g/kWh 5 g; at $0.2/kWh $0.002.
	cell := CostCell{"a", "s", "prefill", 1000, 36, 0.01, 5}
	tier := func(name string, rate float64) CostTier {
		infra := 1000.0 / 3600 * rate
		return CostTier{"a", "s", "prefill", name, rate, infra, 0.002, infra + 0.002}
	}
	ok := []CostTier{tier("on_demand", 1), tier("spot", 0.3), tier("energy_only", 0)}
	fx := Factors{USDPerKWh: 0.2, CarbonGPerKWh: 500}
	if fs := Costs([]CostCell{cell}, ok, fx); len(fs) != 0 {
		t.Fatalf("consistent costs: %+v", fs)
	}
	tests := []struct {
		name  string
		cells []CostCell
		tiers []CostTier
		fx    Factors
		check string
	}{
		{"carbon factor", []CostCell{cell}, ok, Factors{0.2, 400}, "carbon_factor"},
		{"energy price", []CostCell{cell}, ok, Factors{0.3, 500}, "energy_price"},
		{"power", []CostCell{{"a", "s", "prefill", 1000, 40, 0.01, 5}}, ok, fx, "energy_power_consistency"},
		{"tier order", []CostCell{cell}, []CostTier{tier("on_demand", 1), tier("spot", 2)}, fx, "tier_order"},
		{"missing total", []CostCell{cell}, []CostTier{{"a", "s", "prefill", "on_demand", 1, 0.27, nan, nan}}, fx, "cost_negative_or_missing"},
		{"negative infra", []CostCell{cell}, []CostTier{{"a", "s", "prefill", "on_demand", 1, -1, 0.002, -0.998}}, fx, "cost_negative_or_missing"},
		{"sum", []CostCell{cell}, []CostTier{{"a", "s", "prefill", "on_demand", 1, 0.5, 0.002, 0.6}}, fx, "cost_sum"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := Costs(tt.cells, tt.tiers, tt.fx)
			if find(fs, tt.check) == nil {
				t.Errorf("no %s finding in %+v", tt.check, fs)
			}
		})
	}
	// A cell without energy may have a null total.
	noEnergy := CostCell{"a", "s", "prefill", 1000, nan, nan, nan}
	if fs := Costs([]CostCell{noEnergy}, []CostTier{{"a", "s", "prefill", "on_demand", 1, 0.27, nan, nan}}, Factors{nan, nan}); len(fs) != 0 {
		t.Errorf("missing energy flagged as cost error: %+v", fs)
	}
}

// TestOutlierRow is the case: one row of seven with latency x1000
// and a throughput consistent with it. It moves the cell's time per token,
// and so its cost, 143x: the finding fails (strict validation stops).
// A row 2.5x slow among steady ones (+21% on the cell) only warns.
func TestOutlierRow(t *testing.T) {
	var specs []rowSpec
	for i := range 7 {
		specs = append(specs, rowSpec{int64(i), 10, 1000, 5, false, false})
	}
	for _, tc := range []struct {
		factor   float64
		severity string
		effect   float64
	}{{1000, Fail, (10*(6+1000.0)/70)/(10*6.0/60) - 1}, {2.5, Warn, (6+2.5)/7/1 - 1}} {
		r := table(specs)
		r.LatencyMS[3] *= tc.factor
		r.Throughput[3] /= tc.factor
		cells, err := runs.Cells(r, runs.Options{})
		if err != nil {
			t.Fatal(err)
		}
		fs := Runs(r, cells, Options{})
		f := find(fs, "outlier_rows")
		if f == nil || f.Severity != tc.severity || !strings.Contains(f.Message, "1 of 7 rows") {
			t.Fatalf("x%g: finding %+v, want %s on 1 of 7 rows", tc.factor, f, tc.severity)
		}
		if d := f.Value - tc.effect; d > 1e-9 || d < -1e-9 {
			t.Errorf("x%g: effect %v, want %v", tc.factor, f.Value, tc.effect)
		}
		if tc.severity == Fail && Valid(fs) {
			t.Error("a x1000 row leaves the table valid")
		}
	}
}
