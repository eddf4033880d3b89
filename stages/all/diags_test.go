package all

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/tr119/tr119/engine"
	"github.com/tr119/tr119/internal/golden"
)

// edit replaces the first occurrence of Old in the pipeline with New
// (Old "" appends New).
type edit struct{ Old, New string }

// mutationCase is one mistake the issue found `validate` accepting.
type mutationCase struct {
	name  string
	edits []edit
	vars  map[string]string
	want  string // a line of the diagnostics, e.g. "pipeline.hcl:103:20: error: Invalid value"
}

var longLabel = strings.Repeat("x", 5000)

// statsCost is the stats stage's one-line body.
const statsCost = "{ cost = stage.cost.tr119 }"

// costRuns is the cost stage's first line, after which the cases add
// attributes.
const costRuns = "  runs = concat(stage.benchmark.onnxruntime[*].runs, stage.benchmark.torch[*].runs)\n"

// mutationCases are the mutation classes on the default pipeline.
var mutationCases = []mutationCase{
	{"preset_gpt3", nil, map[string]string{"preset": "gpt3"}, `"gpt3" is not one of`},
	{"usd_per_kwh_negative", nil, map[string]string{"usd_per_kwh": "-5"}, "-5 is below the minimum of 0"},
	{"price_map_without_cpu", []edit{{"spot        = { gpu = 0.302, cpu = 0.05 }", "spot        = { gpu = 0.302 }"}}, nil, `has no "cpu" price`},
	{"modes_decoding", []edit{{"  repetitions       = var.repetitions\n", "  repetitions       = var.repetitions\n  modes = [\"prefill\", \"decoding\"]\n"}}, nil, `"decoding" is not one of`},
	{"modes_without_decode", []edit{{"  onnxruntime { provider", "  modes             = [\"prefill\", \"generate\"]\n  onnxruntime { provider"}}, nil,
		`no benchmark this stage reads measures "decode"`},
	{"backend_vllm", []edit{{`backend           = "onnxruntime"`, `backend           = "vllm"`}}, nil, `"vllm" is not one of "onnxruntime"`},
	{"generation_mode_decod", []edit{{`generation_mode = "decode"`, `generation_mode = "decod"`}}, nil, `"decod" is not one of "generate", "decode". Did you mean "decode"?`},
	{"repetitions_zero", []edit{{"repetitions       = var.repetitions", "repetitions       = 0"}}, nil, "0 is below the minimum of 1"},
	{"repetitions_negative", []edit{{"repetitions       = var.repetitions", "repetitions       = -3"}}, nil, "-3 is below the minimum of 1"},
	{"repetitions_fraction", nil, map[string]string{"repetitions": "2.5"}, "2.5 is not a whole number"},
	{"repetitions_huge", nil, map[string]string{"repetitions": "1e400"}, "var.repetitions is 1e+400, not a finite number"},
	{"batch_size_zero", []edit{{`batch_size = p[0] == "single" ? 1 : 4`, "batch_size = 0"}}, nil, "batch_size: 0 is out of range [1, 65536]"},
	{"utilisation_7", []edit{{"utilisation              = 0.5", "utilisation              = 7"}}, nil, "7: want a share above 0 and at most 1"},
	{"aggregate_median", []edit{{costRuns, costRuns + "  aggregate = \"median\"\n"}}, nil, `"median" is not one of "time", "arithmetic"`},
	{"device_tpu", []edit{{`default     = { cpu = { device = "cpu" } }`, `default     = { cpu = { device = "tpu" } }`}}, nil, `device "tpu": want cpu, cuda or cuda:N`},
	{"modes_empty", []edit{{"  repetitions       = var.repetitions\n", "  repetitions       = var.repetitions\n  modes = []\n"}}, nil, "modes needs at least 1 element(s), got 0"},
	{"scenarios_empty", []edit{{"scenarios         = local.scenarios", "scenarios         = []"}}, nil, "scenarios: empty list"},
	{"prompts_empty", []edit{{`short = ["Explain what a KV cache is.", "Name three uses of a GPU."]`, "short = []"}}, nil, "prompts: empty list"},
	{"prompt_empty_string", []edit{{`"Explain what a KV cache is."`, `""`}}, nil, "prompts[0] is empty"},
	{"settings_unknown_key", []edit{{"", "\nsettings {\n  onnxruntime_libary = \"lib.so\"\n}\n"}}, nil, `Did you mean "onnxruntime_library"?`},
	{"weights_all_zero", []edit{{costRuns, costRuns + "  weights = { single_short = 0, batch_short = 0 }\n"}}, nil, "weights must give at least one scenario a weight above 0"},
	{"label_5000_characters", []edit{{`label             = "onnxruntime-${each.key}"`, `label             = "` + longLabel + `"`}}, nil, "label is 5000 characters long; at most 200 are allowed"},
	{"confidence_above_1", []edit{{statsCost, "{\n  cost = stage.cost.tr119\n  confidence = 1.5\n}"}}, nil, "1.5: want a level strictly between 0 and 1"},
	{"stats_tier_not_priced", []edit{{statsCost, "{\n  cost = stage.cost.tr119\n  tier = \"reserved_5y\"\n}"}}, nil, `does not price it`},
	{"stats_tier_not_headline", []edit{{statsCost, "{\n  cost = stage.cost.tr119\n  tier = \"spot\"\n}"}}, nil, `its headline tier is "on_demand"`},
	{"validate_cost_inputs_incomplete", []edit{{"  cost       = stage.cost.tr119\n", "  cost_cells = stage.cost.tr119.cells\n"}}, nil, "need cost_cells, cost_tiers and cost_json together"},
	{"reference_tier_unknown", []edit{{costRuns, costRuns + "  reference_tier = \"on_demandd\"\n"}}, nil, `Did you mean "on_demand"?`},
}

// mutate writes the default pipeline with the edits applied to a fresh
// folder and returns the folder.
func mutate(t testing.TB, src string, edits []edit) string {
	t.Helper()
	for _, e := range edits {
		if e.Old == "" {
			src += e.New
			continue
		}
		if !strings.Contains(src, e.Old) {
			t.Fatalf("pipeline lacks %q", e.Old)
		}
		src = strings.Replace(src, e.Old, e.New, 1)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "pipeline.hcl"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func varArgs(vars map[string]string) []engine.VarArg {
	var out []engine.VarArg
	for k, v := range vars {
		out = append(out, engine.VarArg{Name: k, Value: v})
	}
	return out
}

// renderDiags is what `tr119 validate` prints: a file:line:col line per
// error, then HCL's rendering with the source snippet and values.
func renderDiags(t testing.TB, p *engine.Pipeline, diags hcl.Diagnostics) string {
	t.Helper()
	var b bytes.Buffer
	for _, d := range diags {
		if d.Subject == nil {
			t.Errorf("diagnostic without a range: %s: %s", d.Summary, d.Detail)
			continue
		}
		fmt.Fprintf(&b, "%s:%d:%d: error: %s\n", d.Subject.Filename, d.Subject.Start.Line, d.Subject.Start.Column, d.Summary)
	}
	b.WriteString("\n")
	if err := engine.WriteDiagnostics(&b, p, diags, 0, false); err != nil {
		t.Fatal(err)
	}
	return strings.ReplaceAll(b.String(), longLabel, "x{5000}")
}

// Each mutation the issue found accepted is rejected at load (what
// `validate` and `plan` run) with the attribute's file:line:col and a
// hint; the full diagnostics are golden files.
func TestMutationDiagnostics(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "..", "pipeline.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range mutationCases {
		t.Run(tc.name, func(t *testing.T) {
			dir := mutate(t, string(src), tc.edits)
			p, diags := engine.Load(dir, Registry(), engine.LoadOptions{Vars: varArgs(tc.vars)})
			if !diags.HasErrors() {
				t.Fatal("validate accepted the mutation")
			}
			got := renderDiags(t, p, diags)
			if !strings.Contains(got, tc.want) {
				t.Errorf("diagnostics lack %q:\n%s", tc.want, got)
			}
			golden.Check(t, filepath.Join("testdata", "diags", tc.name+".golden"), []byte(got))
		})
	}
}
