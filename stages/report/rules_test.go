package report

import (
	"bytes"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"

	"github.com/tr119/tr119/artifacts"
	"github.com/tr119/tr119/engine"
	"github.com/tr119/tr119/stages/internal/analysistest"
	rt "github.com/tr119/tr119/stages/internal/reporttest"
)

// constructed renders the report of a constructed runs table priced as
// given, with every analysis input a pipeline would give it, and the
// environment tables envs when given.
func constructed(t *testing.T, s rt.Spec, pricing cty.Value, headline string, envs ...engine.Artifact) string {
	t.Helper()
	fx, err := rt.Pipeline(t, rt.Build(t, s), pricing, headline)
	if err != nil {
		t.Fatal(err)
	}
	cfg := constructedConfig(fx)
	if len(envs) > 0 {
		attrs := cfg.AsValueMap()
		attrs["environments"] = analysistest.List(envs...)
		cfg = cty.ObjectVal(attrs)
	}
	md, _ := render(t, cfg)
	return string(md)
}

func constructedConfig(fx map[string]engine.Artifact) cty.Value {
	return withCostStats(map[string]cty.Value{"title": cty.StringVal("Constructed"),
		"runs":            analysistest.List(fx["import.table"]),
		"validation":      analysistest.List(fx["validate.table"]),
		"validation_json": analysistest.List(fx["validate.json"])}, fx)
}

func contains(t *testing.T, md string, want, not []string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(md, w) {
			t.Errorf("report lacks %q", w)
		}
	}
	for _, w := range not {
		if strings.Contains(md, w) {
			t.Errorf("report says %q", w)
		}
	}
	if t.Failed() {
		head, _, _ := strings.Cut(md, "## 2.")
		t.Logf("summary:\n%s", head)
	}
}

var twoScenarios = []string{"chat", "summarise"}

// The GPU-machine case: the GPU has measured energy, the CPU none,
// and the CPU's infra cost alone is below the GPU's total. The report
// ranks both on infra, recommends the CPU, and states the power above
// which the CPU would lose.
func TestRuleEnergyMissingForOneBackend(t *testing.T) {
	md := constructed(t, rt.Spec{Scenarios: twoScenarios, Backends: []rt.Backend{
		{Name: "onnxruntime-gpu-fused", Class: "gpu", TokPerS: rt.Steady(4000), Watts: 250, Noise: 0.01},
		{Name: "onnxruntime-cpu-fused", Class: "cpu", TokPerS: rt.Steady(1000), Noise: 0.01},
	}}, rt.Pricing(3.0, 0.5), "")
	contains(t, md, []string{
		"**Recommendation: `onnxruntime-cpu-fused`**",
		"ranked on infra cost for every backend, energy unavailable for `onnxruntime-cpu-fused`",
		"`onnxruntime-cpu-fused` is cheaper than `onnxruntime-gpu-fused`'s total",
		"unless it draws more than ",
		"Lowest carbon where energy was measured: in prefill `onnxruntime-gpu-fused` (",
		"; `onnxruntime-cpu-fused` unmeasured)",
	}, []string{"cheapest in every mode", "Recommendation: `onnxruntime-gpu-fused`",
		// the CPU's carbon is unknown: the GPU is not "the lowest-carbon backend"
		"The lowest-carbon backend"})
	// The bound by hand: GPU total per 1M = 250 s x ($3/h / 3600 + 250 W x $0.2/kWh / 3.6e6);
	// CPU infra = 1000 s x $0.5/h / 3600; N W = (gpu total - cpu infra) / $0.2 x 3.6e6 / 1000 s.
	gpuTotal := 250*(3.0/3600) + 250*250/3.6e6*0.2
	cpuInfra := 1000 * 0.5 / 3600
	w := (gpuTotal - cpuInfra) / 0.2 * 3.6e6 / 1000
	m := regexp.MustCompile(`prefill: .*unless it draws more than ([0-9,.]+) W`).FindStringSubmatch(md)
	if m == nil {
		t.Fatal("no prefill bound")
	}
	got, _ := strconv.ParseFloat(strings.ReplaceAll(m[1], ",", ""), 64)
	if math.Abs(got/w-1) > 0.03 { // the runs have 1% noise
		t.Errorf("prefill bound %s W, want about %s W (by hand)", m[1], num(w))
	}
}

// KV-cache decode slower than the uncached loop on one backend: the
// limitations say so with both throughputs, and name tr119's host-memory
// binding only for ONNX Runtime on CUDA (from the environment).
func TestRuleSlowDecode(t *testing.T) {
	perMode := func(prefill, generate, decode float64) func(string, string) float64 {
		return func(_, mode string) float64 {
			return map[string]float64{"prefill": prefill, "generate": generate, "decode": decode}[mode]
		}
	}
	s := rt.Spec{Scenarios: twoScenarios, Modes: []string{"prefill", "generate", "decode"}, Backends: []rt.Backend{
		{Name: "ort-gpu", Class: "gpu", TokPerS: perMode(8000, 600, 400), Watts: 150, Noise: 0.01},
		{Name: "ort-cpu", Class: "cpu", TokPerS: perMode(1500, 90, 120), Watts: 50, Noise: 0.01},
	}}
	md := constructed(t, s, rt.Pricing(1, 0.2), "")
	contains(t, md, []string{"KV-cache `decode` produced tokens more slowly than the uncached `generate` loop for `ort-gpu` (4"},
		[]string{"`ort-cpu` (120 against", "host memory"})

	md = constructed(t, s, rt.Pricing(1, 0.2), "", analysistest.StringTable(t, "stage.benchmark.gpu", "environment/v1",
		[]string{artifacts.ColEnvironmentID, "key", "value"}, []string{"constructed", "onnxruntime.provider", "cuda"}))
	contains(t, md, []string{"For `ort-gpu` part of that is tr119's ONNX Runtime binding: its tensors live in host memory"}, nil)
}

// Both backends measured: the CPU is cheaper per token but draws more
// energy per token than the GPU, and the report says so.
func TestRuleLowestCarbonNotCheapest(t *testing.T) {
	md := constructed(t, rt.Spec{Scenarios: twoScenarios, Backends: []rt.Backend{
		{Name: "b-gpu", Class: "gpu", TokPerS: rt.Steady(4000), Watts: 250, Noise: 0.01},
		{Name: "a-cpu", Class: "cpu", TokPerS: rt.Steady(1000), Watts: 200, Noise: 0.01},
	}}, rt.Pricing(3.0, 0.5), "")
	contains(t, md, []string{"**Recommendation: `a-cpu`**", "The lowest-carbon backend is not the cheapest: in prefill `b-gpu` (",
		"of the request cost; the rest is compute time"},
		[]string{"Lowest carbon where energy was measured", "for the backends with an energy reading"})
}

// Two backends within noise of each other: no clear winner, both named,
// and what would settle it.
func TestRuleNoSignificantDifference(t *testing.T) {
	md := constructed(t, rt.Spec{Scenarios: twoScenarios, Backends: []rt.Backend{
		{Name: "a-gpu", Class: "gpu", TokPerS: rt.Steady(1000), Watts: 100, Noise: 0.2},
		{Name: "b-gpu", Class: "gpu", TokPerS: rt.Steady(1010), Watts: 100, Noise: 0.2},
	}, Reps: 3, Seed: 3}, rt.Pricing(1, 0.2), "")
	contains(t, md, []string{"**No clear winner**", "Candidates: `", "`a-gpu`", "`b-gpu`", "What would settle it: ", "more scenarios and repetitions", "no clear winner between them"},
		[]string{"**Recommendation"})
}

// The winner changes with the scenario and with the mode: the headline
// section says so, merged per backend.
func TestRuleWinnerFlips(t *testing.T) {
	// prefill: a is 3x faster in s2 and s3, b 1.5x faster in s1 and s4,
	// so a wins the mean and b wins s1 and s4; generate swaps the two.
	strong := func(sc string) float64 {
		if sc == "s2" || sc == "s3" {
			return 3000
		}
		return 1000
	}
	weak := func(sc string) float64 {
		if sc == "s2" || sc == "s3" {
			return 1000
		}
		return 1500
	}
	profile := func(prefill, generate func(string) float64) func(string, string) float64 {
		return func(sc, mode string) float64 {
			if mode == "prefill" {
				return prefill(sc)
			}
			return generate(sc)
		}
	}
	md := constructed(t, rt.Spec{Scenarios: []string{"s1", "s2", "s3", "s4"}, Backends: []rt.Backend{
		{Name: "a-gpu", Class: "gpu", TokPerS: profile(strong, weak), Watts: 100, Noise: 0.01},
		{Name: "b-gpu", Class: "gpu", TokPerS: profile(weak, strong), Watts: 100, Noise: 0.01},
	}}, rt.Pricing(1, 0.2), "")
	contains(t, md, []string{"**The winner changes**", "The cheapest backend depends on the mode: `a-gpu` in prefill and `b-gpu` in generate.",
		"In prefill, `b-gpu` wins `s1` and `s4`, although `a-gpu` is cheapest", "In generate, `a-gpu` wins `s1` and `s4`, although `b-gpu` is cheapest"},
		nil)
	if !regexp.MustCompile("In (prefill|generate), `[ab]-gpu` wins `s[1-4]` and `s[1-4]`, although").MatchString(md) {
		t.Errorf("scenario flips are not merged per backend:\n%s", md[:min(len(md), 4000)])
	}
}

// One scenario: the rank test cannot tell, the repetitions decide.
func TestRuleOneScenario(t *testing.T) {
	md := constructed(t, rt.Spec{Scenarios: []string{"chat"}, Backends: []rt.Backend{
		{Name: "a-gpu", Class: "gpu", TokPerS: rt.Steady(1000), Watts: 100, Noise: 0.01},
		{Name: "b-gpu", Class: "gpu", TokPerS: rt.Steady(2000), Watts: 100, Noise: 0.01},
	}}, rt.Pricing(1, 0.2), "")
	contains(t, md, []string{"**Recommendation: `b-gpu`**", "Welch's test over the repetitions of the one scenario, `chat`",
		"the across-scenario tests cannot tell", "Only 1 scenario per mode"},
		[]string{"do not differ significantly", "Kruskal-Wallis |"})
}

// Only custom tiers: the cost stage needs headline_tier, and the report
// uses it everywhere.
func TestRuleOnlyCustomTiers(t *testing.T) {
	s := rt.Spec{Scenarios: []string{"chat"}, Backends: []rt.Backend{
		{Name: "a-gpu", Class: "gpu", TokPerS: rt.Steady(1000), Watts: 100, Noise: 0.01}}}
	if _, err := rt.Pipeline(t, rt.Build(t, s), rt.CustomTiers(), ""); err == nil || !strings.Contains(err.Error(), "headline_tier is required") {
		t.Fatalf("err = %v, want headline_tier required", err)
	}
	md := constructed(t, s, rt.CustomTiers(), "silver")
	contains(t, md, []string{"Headline tier: `silver`", "tier `silver`"}, []string{"on_demand"})
}

// One row with latency x1000 (and a throughput to match): validation
// fails it and the summary says what it does to the cell's cost.
func TestRuleOutlierRow(t *testing.T) {
	md := constructed(t, rt.Spec{Scenarios: twoScenarios, Backends: []rt.Backend{
		{Name: "a-gpu", Class: "gpu", TokPerS: rt.Steady(1000), Watts: 100, Noise: 0.01},
		{Name: "b-gpu", Class: "gpu", TokPerS: rt.Steady(1500), Watts: 100, Noise: 0.01},
	}, Edit: func(b, sc, m string, rep, p int, lat, thr *float64) {
		if b == "a-gpu" && sc == "chat" && m == "prefill" && rep == 2 && p == 0 {
			*lat *= 1000
			*thr /= 1000
		}
	}}, rt.Pricing(1, 0.2), "")
	contains(t, md, []string{"**Outlier rows** in 1 cell", "1 cell fail validation", "overall_valid = false",
		"**Confidence is lower**: outlier rows affect `a-gpu`"}, nil)
}

// Another process kept the machine busy: system CPU utilisation 0.98
// while the backend used one core of 16. Without the core count the
// backend's share is unknown: nothing is blamed on other load, and the
// report says the check could not run.
func TestRuleBusyMachine(t *testing.T) {
	s := rt.Spec{Scenarios: twoScenarios, Backends: []rt.Backend{
		{Name: "a-cpu", Class: "cpu", TokPerS: rt.Steady(1000), Watts: 50, Noise: 0.01, SystemUtil: 0.98, ProcessCores: 1},
		{Name: "b-cpu", Class: "cpu", TokPerS: rt.Steady(1500), Watts: 50, Noise: 0.01, SystemUtil: 0.2, ProcessCores: 1},
	}}
	md := constructed(t, s, rt.Pricing(1, 0.2), "", analysistest.CPUCores(t, "16"))
	contains(t, md, []string{"**Busy machine** in 4 cells: the whole machine's CPU was 98% busy on average while the backend used 6.25% of it",
		"a quieter machine"}, []string{"`b-cpu/", "was not checked"})

	md = constructed(t, s, rt.Pricing(1, 0.2), "")
	contains(t, md, []string{"Whether other load shared the machine was not checked: no environment table gives cpu_cores"},
		[]string{"**Busy machine**"})
}

// The machine slowed down during the run (a drift-check pass 30% slower)
// and one backend's energy is modeled: both are in the summary with
// their effect on confidence, and the recommendation says confidence is
// lower.
func TestRuleDriftAndModeledEnergy(t *testing.T) {
	md := constructed(t, rt.Spec{Scenarios: twoScenarios, Backends: []rt.Backend{
		{Name: "a-gpu", Class: "gpu", TokPerS: rt.Steady(1000), Watts: 100, Noise: 0.01, Drift: 0.7, Modeled: true},
		{Name: "b-gpu", Class: "gpu", TokPerS: rt.Steady(2000), Watts: 100, Noise: 0.01},
	}}, rt.Pricing(1, 0.2), "")
	contains(t, md, []string{"**Drift** beyond the threshold in 4 cells (largest 30", "differences between backends smaller than that are not reliable",
		"**Modeled energy** for 4 cells (`a-gpu`)", "**Confidence is lower**: drift and modeled energy affect `a-gpu`"}, nil)

	md = constructed(t, rt.Spec{Scenarios: twoScenarios, Backends: []rt.Backend{
		{Name: "a-gpu", Class: "gpu", TokPerS: rt.Steady(1000), Watts: 100, Noise: 0.01, Drift: 0.7},
		{Name: "b-gpu", Class: "gpu", TokPerS: rt.Steady(2000), Watts: 100, Noise: 0.01},
	}}, rt.Pricing(1, 0.2), "")
	contains(t, md, []string{"**Confidence is lower**: drift affects `a-gpu`"}, nil)
}

// No backend has energy: energy and carbon columns, tables and figures
// are replaced by one sentence, and the electricity price is said to have
// no effect.
func TestRuleNoEnergyAnywhere(t *testing.T) {
	md := constructed(t, rt.Spec{Scenarios: twoScenarios, Backends: []rt.Backend{
		{Name: "a-cpu", Class: "cpu", TokPerS: rt.Steady(1000), Noise: 0.01},
		{Name: "b-cpu", Class: "cpu", TokPerS: rt.Steady(1500), Noise: 0.01},
	}}, rt.Pricing(1, 0.2), "")
	contains(t, md, []string{"**The electricity price has no effect on these results**", "No backend has an energy reading",
		"No TCO: it needs a total cost"}, []string{"Carbon (gCO2e/1M)", "| Total ($/1M)", "Energy share"})
}

// A pipeline none of us wrote: llama.cpp and vLLM runs imported from
// elsewhere, one scenario, custom tier names. Nothing in the report may
// name what the data lacks (our backends, decode, on_demand, a second
// scenario), and every table must have rows.
func TestHoldoutPipeline(t *testing.T) {
	md := constructed(t, rt.Spec{Scenarios: []string{"chat"}, Modes: []string{"prefill", "generate"}, Backends: []rt.Backend{
		{Name: "llamacpp-q4", Class: "cpu", TokPerS: rt.Steady(900), Noise: 0.03},
		{Name: "vllm-fp16", Class: "gpu", TokPerS: rt.Steady(6000), Watts: 280, Noise: 0.03},
	}, Seed: 7}, rt.CustomTiers(), "gold")
	contains(t, md, []string{"`llamacpp-q4`", "`vllm-fp16`", "tier `gold`", "ranked on infra cost for every backend"},
		[]string{"onnxruntime", "transformers", "decode", "on_demand", "single_", "cheapest in every mode"})
	// No empty table: every header row is followed by a data row.
	if regexp.MustCompile(`\| --- \|.*\n\n`).MatchString(md) {
		t.Error("a table has a header and no rows")
	}
	if bytes.Contains([]byte(md), []byte("(1 cell")) && strings.Count(md, "RAPL") > 3 {
		t.Error("repeated RAPL lines were not merged")
	}
}
