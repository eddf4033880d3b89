package reporttest

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"

	"github.com/tr119/tr119/engine"
	"github.com/tr119/tr119/stages/cost"
	"github.com/tr119/tr119/stages/importstage"
	"github.com/tr119/tr119/stages/internal/analysistest"
	"github.com/tr119/tr119/stages/stats"
	"github.com/tr119/tr119/stages/validate"
)

// Backend describes one constructed backend: its speed per scenario and
// mode, its power draw (0: energy unavailable, as without RAPL), and
// what the machine looked like while it ran.
type Backend struct {
	Name, Class string
	// TokPerS gives the mean throughput of a scenario and mode.
	TokPerS func(scenario, mode string) float64
	// Watts is the mean power of the dominant domain; 0 means the
	// energy is unavailable (no counter).
	Watts float64
	// Modeled marks the energy as modeled rather than measured.
	Modeled bool
	// Drift, when set, adds a drift-check pass after each cell that runs
	// at this multiple of the cell's speed (0.7: 30% slower).
	Drift float64
	// Noise is the relative standard deviation of a repetition's speed.
	Noise float64
	// SystemUtil and ProcessCores, when set, fill system_cpu_util and
	// process_cpu_s (cores used x latency).
	SystemUtil, ProcessCores float64
}

// Spec is a constructed runs table: every backend runs every scenario
// and mode, Reps repetitions of 2 prompts each, after one warmup.
type Spec struct {
	Backends  []Backend
	Scenarios []string
	Modes     []string // default prefill and generate
	Reps      int      // default 5
	Seed      uint64
	// Edit may change a data row (by backend, scenario, mode, repetition
	// and prompt) after it is built: latency, throughput.
	Edit func(b, scenario, mode string, rep, prompt int, latencyMS, tokPerS *float64)
}

// header is the runs/v2 header, from the analysis example.
func header(t testing.TB) []string {
	_, file, _, _ := runtime.Caller(0)
	b, err := os.ReadFile(filepath.Join(filepath.Dir(file), "..", "..", "..", "examples", "analysis", "runs.csv"))
	if err != nil {
		t.Fatal(err)
	}
	line, _, _ := strings.Cut(string(b), "\n")
	return strings.Split(line, ",")
}

// Build writes the spec's runs as a runs/v2 CSV under t's temp dir and
// returns its path. The numbers are seeded: the same spec gives the same
// file.
func Build(t testing.TB, s Spec) string {
	t.Helper()
	if len(s.Modes) == 0 {
		s.Modes = []string{"prefill", "generate"}
	}
	if s.Reps == 0 {
		s.Reps = 5
	}
	cols := header(t)
	rng := rand.New(rand.NewPCG(s.Seed, 119))
	var lines []string
	lines = append(lines, strings.Join(cols, ","))
	id := 0
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', 10, 64) }
	for _, b := range s.Backends {
		dom, other := "cpu_package", "gpu"
		device := "cpu"
		if b.Class == "gpu" {
			dom, other, device = "gpu", "cpu_package", "cuda:0"
		}
		for _, sc := range s.Scenarios {
			for _, m := range s.Modes {
				bs, sl, tokens := 1, 32, 32
				if m != "prefill" {
					tokens = 16
				}
				last := s.Reps
				if b.Drift > 0 {
					last++ // the drift-check pass
				}
				for rep := -1; rep < last; rep++ {
					speed := b.TokPerS(sc, m) * (1 + b.Noise*rng.NormFloat64())
					drift := rep == s.Reps
					if drift {
						speed = b.TokPerS(sc, m) * b.Drift
					}
					for p := range 2 {
						id++
						lat := float64(tokens) / speed * 1000
						thr := speed
						if s.Edit != nil && rep >= 0 && !drift {
							s.Edit(b.Name, sc, m, rep, p, &lat, &thr)
						}
						row := map[string]string{
							"run_id": fmt.Sprintf("c-%d", id), "backend": b.Name, "runtime": "constructed", "device": device,
							"device_class": b.Class, "model": "tiny", "model_sha256": strings.Repeat("0", 64), "scenario": sc, "mode": m,
							"batch_size": strconv.Itoa(bs), "seq_len": strconv.Itoa(sl), "repetition": strconv.Itoa(max(rep, 0)),
							"prompt_index": strconv.Itoa(p), "warmup": strconv.FormatBool(rep < 0), "drift_check": strconv.FormatBool(drift), "status": "ok",
							"latency_ms": f(lat), "tokens": strconv.Itoa(tokens), "throughput_tok_s": f(thr), "window_calls": "1",
							"window_ms": f(lat), "environment_id": "constructed",
						}
						if b.SystemUtil > 0 {
							row["system_cpu_util"] = f(b.SystemUtil)
							row["process_cpu_s"] = f(b.ProcessCores * lat / 1000)
						}
						for _, d := range []string{"gpu", "cpu_package", "dram"} {
							row[d+"_samples"] = "4"
							row[d+"_source"] = "unavailable"
							row[d+"_source_reason"] = "constructed: not measured"
						}
						row[other+"_source_reason"] = "constructed: not attributed"
						if b.Watts > 0 {
							src := "measured_counter"
							if b.Modeled {
								src = "modeled"
							}
							row[dom+"_source"], row[dom+"_source_reason"] = src, ""
							row[dom+"_energy_j"] = f(b.Watts * lat / 1000)
							row[dom+"_power_w"] = f(b.Watts)
						} else {
							row[dom+"_source_reason"] = dom + " energy unavailable: RAPL energy_uj not readable (permission denied)"
						}
						vals := make([]string, len(cols))
						for i, c := range cols {
							vals[i] = row[c]
						}
						lines = append(lines, strings.Join(vals, ","))
					}
				}
			}
		}
	}
	p := filepath.Join(t.TempDir(), "runs.csv")
	if err := os.WriteFile(p, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// Steady is a throughput that depends only on the mode: tok/s in
// prefill, a tenth of it in generation.
func Steady(tokPerS float64) func(string, string) float64 {
	return func(_, mode string) float64 {
		if mode == "prefill" {
			return tokPerS
		}
		return tokPerS / 10
	}
}

// Pricing is a cost stage's pricing block from tier rates by class.
func Pricing(onDemandGPU, onDemandCPU float64) cty.Value {
	return cty.ObjectVal(map[string]cty.Value{
		"on_demand": cty.ObjectVal(map[string]cty.Value{"gpu": num(onDemandGPU), "cpu": num(onDemandCPU)}),
		"spot":      cty.ObjectVal(map[string]cty.Value{"gpu": num(onDemandGPU * 0.3), "cpu": num(onDemandCPU * 0.3)}),
	})
}

// CustomTiers is a pricing block with only user tiers ("gold", "silver").
func CustomTiers() cty.Value {
	tier := func(v float64) cty.Value { return cty.ObjectVal(map[string]cty.Value{"usd_per_hour": num(v)}) }
	return cty.ObjectVal(map[string]cty.Value{"tier": cty.ObjectVal(map[string]cty.Value{"gold": tier(2.0), "silver": tier(1.2)})})
}

// Pipeline runs import, cost (with pricing and an optional headline tier),
// stats and a runs validation on a runs CSV, like examples/analysis, and
// returns every output by "kind.output" (validate.table, validate.json
// included).
func Pipeline(t testing.TB, csv string, pricing cty.Value, headline string) (map[string]engine.Artifact, error) {
	t.Helper()
	out := map[string]engine.Artifact{}
	run := func(kind string, k engine.Kind, cfg cty.Value) error {
		return runKind(t, out, "constructed", kind, k, cfg)
	}
	if err := run("import", importstage.New(), importRuns(csv, "runs/v2")); err != nil {
		return nil, err
	}
	runs := analysistest.List(out["import.table"])
	hv := cty.NullVal(cty.String)
	if headline != "" {
		hv = cty.StringVal(headline)
	}
	if err := run("cost", cost.New(), cty.ObjectVal(map[string]cty.Value{
		"runs": runs, "pricing": pricing, "headline_tier": hv,
		"energy": cty.ObjectVal(map[string]cty.Value{"usd_per_kwh": num(0.20), "carbon_g_per_kwh": num(500)}),
	})); err != nil {
		return nil, err
	}
	if err := run("stats", stats.New(), statsConfig(out)); err != nil {
		return nil, err
	}
	if err := run("validate", validate.New(), cty.ObjectVal(map[string]cty.Value{"runs": runs})); err != nil {
		return nil, err
	}
	return out, nil
}

// NaN is math.NaN, for specs.
var NaN = math.NaN()
