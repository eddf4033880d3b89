package runs

import (
	"math"
	"strings"
	"testing"
)

// row is one test row; energy is the gpu (device class gpu) or
// cpu_package (cpu) energy in joules, NaN for null.
type row struct {
	backend, scenario, mode, class string
	rep, tokens                    int64
	latencyMS, energy              float64
	warmup, drift                  bool
	status                         string
}

func build(rs []row) *Rows {
	r := &Rows{}
	gpu := Domain{Name: "gpu"}
	cpu := Domain{Name: "cpu_package"}
	for i, x := range rs {
		r.RunID = append(r.RunID, "r"+string(rune('a'+i)))
		r.Backend = append(r.Backend, x.backend)
		r.Scenario = append(r.Scenario, x.scenario)
		r.Mode = append(r.Mode, x.mode)
		r.DeviceClass = append(r.DeviceClass, x.class)
		r.BatchSize = append(r.BatchSize, 1)
		r.SeqLen = append(r.SeqLen, x.tokens)
		r.Repetition = append(r.Repetition, x.rep)
		r.PromptIndex = append(r.PromptIndex, 0)
		r.Tokens = append(r.Tokens, x.tokens)
		r.Warmup = append(r.Warmup, x.warmup)
		r.DriftCheck = append(r.DriftCheck, x.drift)
		st := x.status
		if st == "" {
			st = "ok"
		}
		r.Status = append(r.Status, st)
		r.Reason = append(r.Reason, "")
		r.LatencyMS = append(r.LatencyMS, x.latencyMS)
		r.LatencyValid = append(r.LatencyValid, !math.IsNaN(x.latencyMS))
		r.Throughput = append(r.Throughput, float64(x.tokens)/x.latencyMS*1000)
		r.ThroughputValid = append(r.ThroughputValid, true)
		for _, d := range []*Domain{&gpu, &cpu} {
			on := (d.Name == "gpu") == (x.class == "gpu")
			ok := on && !math.IsNaN(x.energy)
			src := "unavailable"
			if ok {
				src = "measured_counter"
			}
			d.EnergyJ = append(d.EnergyJ, x.energy)
			d.EnergyValid = append(d.EnergyValid, ok)
			d.ActiveJ = append(d.ActiveJ, x.energy/2)
			d.ActiveValid = append(d.ActiveValid, ok)
			d.PowerW = append(d.PowerW, 0)
			d.PowerValid = append(d.PowerValid, false)
			d.Samples = append(d.Samples, 10)
			d.Source = append(d.Source, src)
			d.SourceReason = append(d.SourceReason, "no sensor")
		}
	}
	r.Domains = []Domain{gpu, cpu}
	return r
}

func TestCellsGrouping(t *testing.T) {
	rs := []row{
		{"b", "s", "generate", "gpu", 0, 8, 100, 5, false, false, ""},
		{"a", "s", "prefill", "cpu", 0, 10, 10, 1, true, false, ""}, // warmup
		{"a", "s", "prefill", "cpu", 0, 10, 10, 1, false, false, ""},
		{"a", "s", "prefill", "cpu", 0, 30, 10, 3, false, false, ""},
		{"a", "s", "prefill", "cpu", 1, 20, 20, 2, false, false, ""},
		{"a", "s", "prefill", "cpu", 1, 20, 20, 2, false, false, "degraded"},
		{"a", "s", "prefill", "cpu", 1, 20, 20, 2, false, true, ""}, // drift
	}
	cells, err := Cells(build(rs), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(cells) != 2 || cells[0].Mode != "prefill" || cells[1].Mode != "generate" {
		t.Fatalf("cells not sorted by mode: %+v", cells)
	}
	c := cells[0]
	if c.Rows != 3 || c.Warmups != 1 || c.Degraded != 1 || c.Drift != 1 || len(c.Reps) != 2 {
		t.Fatalf("counts: %+v", c)
	}
	// Rep 0: 40 tokens in 20 ms -> 2000 tok/s; 4 J over 0.02 s -> 200 W.
	r0 := c.Reps[0]
	if r0.Throughput() != 2000 || r0.PowerW() != 200 || r0.Prompts != 2 || r0.LatencyMS() != 10 {
		t.Errorf("rep 0: %+v thr %g power %g", r0, r0.Throughput(), r0.PowerW())
	}
	if c.Domains != "cpu_package" || c.Source != "measured_counter" || !c.HasEnergy() {
		t.Errorf("energy: %+v", c)
	}
	// Active basis halves the energy.
	cells, err = Cells(build(rs), Options{Basis: BasisActive})
	if err != nil {
		t.Fatal(err)
	}
	if got := cells[0].Reps[0].EnergyJ; got != 2 {
		t.Errorf("active energy %g, want 2", got)
	}
}

func TestCellsMissingEnergy(t *testing.T) {
	rs := []row{
		{"a", "s", "prefill", "gpu", 0, 10, 10, 1, false, false, ""},
		{"a", "s", "prefill", "gpu", 1, 10, 10, math.NaN(), false, false, ""},
	}
	cells, err := Cells(build(rs), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if cells[0].HasEnergy() || !strings.Contains(cells[0].EnergyMissing, "gpu energy unavailable") {
		t.Errorf("missing energy not reported: %q", cells[0].EnergyMissing)
	}
	if cells[0].Source != "unavailable" {
		t.Errorf("source %q", cells[0].Source)
	}
}

func TestCellsBadInput(t *testing.T) {
	ok := row{"a", "s", "prefill", "cpu", 0, 10, 10, 1, false, false, ""}
	tests := []struct {
		name string
		edit func(*row)
		want string
	}{
		{"inf latency", func(r *row) { r.latencyMS = math.Inf(1) }, `row 2 (run_id "rb"), column "latency_ms": +Inf`},
		{"null latency", func(r *row) { r.latencyMS = math.NaN() }, `row 2 (run_id "rb"), column "latency_ms": null`},
		{"zero tokens", func(r *row) { r.tokens = 0 }, `row 2 (run_id "rb"), column "tokens": 0`},
		{"bad mode", func(r *row) { r.mode = "train" }, `row 2 (run_id "rb"), column "mode"`},
		{"negative energy", func(r *row) { r.energy = -1 }, `column "cpu_package_energy_j": -1`},
		{"class change", func(r *row) { r.class = "gpu"; r.energy = 1 }, `column "device_class"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bad := ok
			tt.edit(&bad)
			_, err := Cells(build([]row{ok, bad}), Options{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want it to contain %q", err, tt.want)
			}
		})
	}
	if _, err := Cells(&Rows{}, Options{}); err == nil || !strings.Contains(err.Error(), "empty") {
		t.Errorf("empty table: %v", err)
	}
	zero := build([]row{ok, ok})
	zero.Throughput[1] = 0
	if _, err := Cells(zero, Options{}); err == nil || !strings.Contains(err.Error(), `row 2 (run_id "rb"), column "throughput_tok_s": 0`) {
		t.Errorf("zero throughput: %v", err)
	}
	warm := ok
	warm.warmup = true
	if _, err := Cells(build([]row{warm}), Options{}); err == nil || !strings.Contains(err.Error(), "no counted rows") {
		t.Errorf("only warmups: %v", err)
	}
	if _, err := Cells(build([]row{ok}), Options{Policy: "max"}); err == nil {
		t.Error("bad policy: no error")
	}
}

func TestCellsSparseRepetitions(t *testing.T) {
	// Repetition numbers beyond the dense range, negative, and
	// interleaved rows still group by repetition.
	rs := []row{
		{"a", "s", "prefill", "cpu", 1 << 40, 10, 10, 1, false, false, ""},
		{"a", "s", "prefill", "cpu", -3, 10, 20, 1, false, false, ""},
		{"a", "s", "prefill", "cpu", 1 << 40, 10, 10, 1, false, false, ""},
		{"a", "s", "prefill", "cpu", 5, 10, 10, 1, false, false, ""},
		{"a", "s", "prefill", "cpu", -3, 10, 20, 1, false, false, ""},
	}
	cells, err := Cells(build(rs), Options{})
	if err != nil {
		t.Fatal(err)
	}
	reps := cells[0].Reps
	if len(reps) != 3 || reps[0].Repetition != -3 || reps[0].Prompts != 2 || reps[2].Prompts != 2 || reps[1].Prompts != 1 {
		t.Errorf("reps %+v", reps)
	}
}

func TestCellsSumPolicy(t *testing.T) {
	// A gpu row: gpu 5 J (dominant) plus cpu_package 3 J under "sum".
	r := build([]row{{"a", "s", "prefill", "gpu", 0, 10, 10, 5, false, false, ""}})
	cpu := r.Domain("cpu_package")
	cpu.EnergyJ[0], cpu.EnergyValid[0], cpu.Source[0] = 3, true, "measured_samples"
	for _, tt := range []struct {
		policy  string
		joules  float64
		domains string
		source  string
	}{{PolicyDominant, 5, "gpu", "measured_counter"}, {PolicySum, 8, "cpu_package+gpu", "measured_samples"}} {
		cells, err := Cells(r, Options{Policy: tt.policy})
		if err != nil {
			t.Fatal(err)
		}
		c := cells[0]
		if c.Reps[0].EnergyJ != tt.joules || c.Domains != tt.domains || c.Source != tt.source {
			t.Errorf("%s: %g J over %q from %q, want %g over %q from %q", tt.policy, c.Reps[0].EnergyJ, c.Domains, c.Source, tt.joules, tt.domains, tt.source)
		}
	}
}

func TestCellsActiveEnergyMayBeNegative(t *testing.T) {
	// energy_active_j is not clamped (docs/runs-table.md): -0.5 J is valid
	// with the active basis, an error with the total basis.
	r := build([]row{{"a", "s", "prefill", "cpu", 0, 10, 10, 1, false, false, ""}})
	r.Domain("cpu_package").ActiveJ[0] = -0.5
	cells, err := Cells(r, Options{Basis: BasisActive})
	if err != nil || cells[0].Reps[0].EnergyJ != -0.5 {
		t.Errorf("active basis: %v, %+v", err, cells)
	}
	r.Domain("cpu_package").EnergyJ[0] = -0.5
	if _, err := Cells(r, Options{}); err == nil || !strings.Contains(err.Error(), `"cpu_package_energy_j": -0.5`) {
		t.Errorf("total basis: %v", err)
	}
}
