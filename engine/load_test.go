package engine

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestLoadDiagnostics loads each broken fixture and compares the rendered
// diagnostics with its golden file; want lists summaries that must occur,
// so a golden file accepted by mistake still fails.
func TestLoadDiagnostics(t *testing.T) {
	tests := []struct {
		name string
		opts LoadOptions
		want []string
	}{
		{"unknown_block", LoadOptions{}, []string{`Did you mean "stage"?`, `Did you mean "scenario"?`, "Unexpected top-level argument"}},
		{"unknown_kind", LoadOptions{}, []string{`Did you mean "cost"?`, "Known kinds: cost, import, stats."}},
		{"unknown_attr", LoadOptions{}, []string{`Did you mean "price"?`, "Remove it or use one of: label, price, runs, tags.", `Did you mean "energy"?`, "use one of: batch_size, prompts."}},
		{"missing_attr", LoadOptions{}, []string{`The argument "path" is required`, `The argument "price" is required`, `"usd_per_kwh" is required`}},
		{"wrong_type", LoadOptions{}, []string{"Invalid value for variable", "a number is required", "Incorrect attribute value type"}},
		{"unknown_refs", LoadOptions{}, []string{`Did you mean "price"?`, `Did you mean "base"?`, `Did you mean "short"?`, `Did you mean "scenario"?`, "cycle: stage.cost.a -> stage.cost.a", `Did you mean "table"?`, "There is no stage stage.cost.b", "Invalid stage reference", `There is no local value "nothing_like_it"`}},
		{"duplicates", LoadOptions{}, []string{"var.x is already declared at a.hcl:1", "local.y is already declared", "scenario.s is already declared", "stage.import.a is already declared", "settings.a is already declared"}},
		{"cycle_stages", LoadOptions{}, []string{"cycle: stage.cost.a -> stage.stats.b -> stage.cost.a", "cycle: local.from_d -> stage.stats.d -> stage.stats.c -> local.from_d"}},
		{"cycle_locals", LoadOptions{}, []string{"cycle: local.a -> local.c -> local.b -> local.a", "cycle: local.self -> local.self"}},
		{"labels", LoadOptions{}, []string{"Wrong number of block labels", `"bad name" is not a valid stage NAME`}},
		{"validation", LoadOptions{Vars: []VarArg{{Name: "price", Value: "-1"}, {Name: "mode", Value: "medium"}}}, []string{"The price must be positive. (var.price = -1)", "The mode must be fast or slow."}},
		{"required_var", LoadOptions{}, []string{"var.price has no default", `An argument named "sensitive" is not expected here. Remove it or use one of: default, description, type.`}},
		{"depends_on_bad", LoadOptions{}, []string{"depends_on lists stages only", "There is no stage stage.import.b", "Invalid depends_on entry", "Write depends_on = [stage.KIND.NAME, ...]"}},
		{"syntax_error", LoadOptions{}, []string{"Missing newline after argument", "Unbalanced parentheses"}},
		{"eval_errors", LoadOptions{}, []string{"A stage output is an artifact object", `There is no function named "uppper". Did you mean "upper"?`, `Did you mean "prompts"?`, "Unsuitable value for left operand"}},
		{"non_finite", LoadOptions{}, []string{"var.zero is +Inf, not a finite number", `var.prices["gpu"] is -1e+309, not a finite number`, "price of stage.cost.a is 1e+309, not a finite number", "energy.usd_per_kwh of stage.cost.b is +Inf"}},
		{"too_deep", LoadOptions{}, []string{"Nesting too deep", "nested more than 256 deep"}},
		{"instances_bad", LoadOptions{}, []string{"Invalid combination of count and for_each", "each.value exists only in the body of a stage that sets for_each",
			"count has only index", "has instances by count: refer to one as stage.import.neg[0]", "refers to the instance being made"}},
		{"instances_values", LoadOptions{}, []string{"for_each takes a map or a set of strings, not a tuple", "count must be a whole number from 0 to 10000; got 1.5",
			"for_each has an empty key", "depends on values known only after apply", "for_each takes a set of strings, got set of number",
			`Inappropriate value for attribute "price"`}},
		{"settings_bad", LoadOptions{}, []string{"Settings may use only var.* and local.*", "Unexpected block in settings"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, diags := Load(fixture(tt.name), testRegistry(), tt.opts)
			if !diags.HasErrors() {
				t.Fatalf("no errors")
			}
			for _, d := range diags {
				if d.Subject == nil && !strings.HasPrefix(d.Summary, "Undeclared") {
					t.Errorf("diagnostic without a range: %s: %s", d.Summary, d.Detail)
				}
				if d.Detail == "" {
					t.Errorf("diagnostic without a hint: %s", d.Summary)
				}
			}
			got := renderDiags(t, p, diags)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("diagnostics lack %q", w)
				}
			}
			checkGolden(t, filepath.Join(fixture(tt.name), "diags.golden"), got)
		})
	}
}

// TestLoadDeterministic loads a broken fixture twice: same text.
func TestLoadDeterministic(t *testing.T) {
	for _, name := range []string{"unknown_refs", "cycle_stages", "duplicates"} {
		_, d1 := Load(fixture(name), testRegistry(), LoadOptions{})
		_, d2 := Load(fixture(name), testRegistry(), LoadOptions{})
		if d1.Error() != d2.Error() {
			t.Errorf("%s: diagnostics differ between loads:\n%s\n%s", name, d1.Error(), d2.Error())
		}
	}
}

func TestLoadWorkspace(t *testing.T) {
	tests := []struct {
		name, path string
		files      []string
		stages     []string
	}{
		{"folder", fixture("multi"), []string{"a.hcl", "b.hcl"}, []string{"stage.import.x", "stage.stats.y"}},
		{"one file", filepath.Join(fixture("multi"), "a.hcl"), []string{"a.hcl"}, []string{"stage.import.x"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, diags := Load(tt.path, testRegistry(), LoadOptions{})
			if diags.HasErrors() {
				t.Fatal(diags.Error())
			}
			abs, _ := filepath.Abs(fixture("multi"))
			if p.Workspace != abs {
				t.Errorf("workspace %s, want %s", p.Workspace, abs)
			}
			if got := strings.Join(sortedKeys(p.Files), ","); got != strings.Join(tt.files, ",") {
				t.Errorf("files %s, want %v", got, tt.files)
			}
			var addrs []string
			for _, s := range p.Stages {
				addrs = append(addrs, s.Addr)
			}
			if strings.Join(addrs, ",") != strings.Join(tt.stages, ",") {
				t.Errorf("stages %v, want %v", addrs, tt.stages)
			}
		})
	}
}

func TestLoadMissing(t *testing.T) {
	for _, path := range []string{fixture("nope"), t.TempDir()} {
		p, diags := Load(path, testRegistry(), LoadOptions{})
		if p == nil || !diags.HasErrors() {
			t.Errorf("%s: want an error and a non-nil pipeline", path)
		}
	}
}
