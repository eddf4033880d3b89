package engine

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"
)

// instancesSrc is testdata/config/instances_ok (also a fuzz seed): for_each
// (chained and not), count, splat, whole stages, data blocks as a
// collection and dynamic blocks.
func instancesSrc(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(fixture("instances_ok"), "pipeline.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func loadSrc(t *testing.T, src string, opts LoadOptions) *Pipeline {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "pipeline.hcl"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	p, diags := Load(dir, testRegistry(), opts)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	return p
}

func TestInstances(t *testing.T) {
	p := loadSrc(t, instancesSrc(t), LoadOptions{})
	var addrs []string
	for _, s := range p.Order() {
		addrs = append(addrs, s.Addr)
	}
	want := `stage.import.in["a"] stage.import.in["b/c"] stage.import.n[0] stage.import.n[1] stage.stats.per["a"] stage.stats.per["b/c"] stage.cost.all`
	if got := strings.Join(addrs, " "); got != want {
		t.Errorf("order\n got %s\nwant %s", got, want)
	}
	deps := map[string]string{
		`stage.stats.per["a"]`: `stage.import.in["a"]`, // chained: its own key only
		"stage.cost.all":       `stage.import.in["a"] stage.import.in["b/c"] stage.import.n[0] stage.import.n[1] stage.stats.per["a"] stage.stats.per["b/c"]`,
	}
	for addr, want := range deps {
		if got := strings.Join(p.Stage(addr).DependsOn, " "); got != want {
			t.Errorf("%s depends on %s, want %s", addr, got, want)
		}
	}
	st := p.Stage(`stage.import.in["b/c"]`)
	if st.Block != "stage.import.in" || st.Key != "b/c" || st.Name() != `in["b/c"]` || st.ResultDir() != "import/in/b%2Fc" {
		t.Errorf("instance %+v name %s dir %s", st, st.Name(), st.ResultDir())
	}

	up := map[string]map[string]Artifact{}
	for _, s := range p.Stages {
		up[s.Addr] = map[string]Artifact{"table": {Path: "/" + s.Addr, SHA256: "00", Available: true},
			"schema": {Path: "/s", SHA256: "11", Available: true}, "summary": {Path: "/x", SHA256: "22", Available: true}}
	}
	cfg, _, diags := p.Eval(`stage.stats.per["b/c"]`, up)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	if got := cfg.GetAttr("input").GetAttr("path").AsString(); got != `/stage.import.in["b/c"]` {
		t.Errorf("each.value.table is %s", got)
	}
	if got := cfg.GetAttr("alpha"); !got.RawEquals(cty.NumberIntVal(3)) {
		t.Errorf("alpha %#v", got)
	}
	cfg, _, diags = p.Eval("stage.cost.all", up)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	var runs []string
	for _, r := range cfg.GetAttr("runs").AsValueSlice() {
		runs = append(runs, r.GetAttr("path").AsString())
	}
	if got := strings.Join(runs, " "); got != `/stage.import.in["a"] /stage.import.in["b/c"] /stage.import.n[0] /stage.import.n[1]` {
		t.Errorf("splat runs %s", got)
	}
	checks := map[string]cty.Value{
		"price":  cty.NumberIntVal(2),
		"tags":   cty.ListVal([]cty.Value{cty.StringVal("y"), cty.StringVal("z")}),
		"label":  cty.StringVal("schema,table"),
		"energy": cty.ObjectVal(map[string]cty.Value{"usd_per_kwh": cty.NumberIntVal(3)}),
	}
	for k, want := range checks {
		if got := cfg.GetAttr(k); !got.RawEquals(want) {
			t.Errorf("%s = %#v, want %#v", k, got, want)
		}
	}
}

func TestMatch(t *testing.T) {
	p := loadSrc(t, instancesSrc(t), LoadOptions{})
	tests := map[string]string{
		"stage.import.in":          `stage.import.in["a"] stage.import.in["b/c"]`,
		`stage.import.in["b/c"]`:   `stage.import.in["b/c"]`,
		"stage.import.in[b/c]":     `stage.import.in["b/c"]`,
		"stage.import.n[1]":        "stage.import.n[1]",
		`stage.import.n["1"]`:      "stage.import.n[1]",
		"stage.cost.all":           "stage.cost.all",
		`stage.import.in["nope"]`:  "",
		"stage.import.missing":     "",
		`stage.cost.all["x"]`:      "",
		"stage.import.in[a":        "",
		`stage.import.in[""]`:      "",
		"stage.import.in[a]extra]": "",
	}
	for addr, want := range tests {
		if got := strings.Join(p.Match(addr), " "); got != want {
			t.Errorf("Match(%s) = %q, want %q", addr, got, want)
		}
	}
}

// Renaming one key changes no other instance's key.
func TestInstanceKeysIndependent(t *testing.T) {
	keys := func(files string) map[string]string {
		p := loadSrc(t, strings.Replace(instancesSrc(t), `{ a = "a.csv", "b/c" = "bc.csv" }`, files, 1), LoadOptions{})
		out := map[string]string{}
		for _, s := range p.Stages {
			r, err := resolve(p, s, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			if r.key != nil {
				out[s.Addr] = r.key.String()
			}
		}
		return out
	}
	before, after := keys(`{ a = "a.csv", "b/c" = "bc.csv" }`), keys(`{ a = "a.csv", d = "bc.csv" }`)
	if before[`stage.import.in["a"]`] == "" || before[`stage.import.in["a"]`] != after[`stage.import.in["a"]`] {
		t.Errorf("renaming b/c changed a's key: %v -> %v", before, after)
	}
	if before[`stage.import.in["b/c"]`] == after[`stage.import.in["d"]`] {
		t.Errorf("the renamed instance kept its key although its schema (the key) changed")
	}
}

func TestStateFileNames(t *testing.T) {
	dir := t.TempDir()
	s := OpenState(dir)
	for _, addr := range []string{"stage.a.b", `stage.a.b["x/y z"]`, "stage.a.b[0]"} {
		if err := s.Put(&StageState{Addr: addr, Key: "k" + addr}); err != nil {
			t.Fatal(err)
		}
		if got := s.Get(addr); got == nil || got.Addr != addr {
			t.Errorf("Get(%s) = %v", addr, got)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "stage.a.b%5B%22x%2Fy%20z%22%5D.json")); err != nil {
		t.Error(err)
	}
	keys, err := s.Keys()
	if err != nil || len(keys) != 3 {
		t.Errorf("keys %v %v", keys, err)
	}
}

func TestTargetHint(t *testing.T) {
	p := loadSrc(t, instancesSrc(t), LoadOptions{})
	for target, want := range map[string]string{
		"stage.import.inn":        `target stage.import.inn: no such stage. Did you mean "stage.import.in"?`,
		`stage.import.in["bc"]`:   `target stage.import.in["bc"]: no such stage. Did you mean "stage.import.in[\"b/c\"]"?`,
		"stage.nothing.like.this": "target stage.nothing.like.this: no such stage. Valid names: ",
	} {
		if _, err := selectStages(p, []string{target}); err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%s: %v, want %s", target, err, want)
		}
	}
	got, err := selectStages(p, []string{`stage.stats.per[a]`})
	if err != nil || len(got) != 2 || got[0].Addr != `stage.import.in["a"]` || got[1].Addr != `stage.stats.per["a"]` {
		t.Errorf("target one chained instance: %v %v", got, err)
	}
}

// A body that indexes a block by keys known before apply depends on those
// instances only; used whole, through a local or in depends_on, on all.
func TestPreciseDeps(t *testing.T) {
	p := loadSrc(t, `
variable "files" {
  default = { a = "a.csv", b = "b.csv" }
}

locals {
  all = stage.import.in
}

stage "import" "in" {
  for_each = var.files
  path     = each.value
}

stage "import" "n" {
  count = 3
  path  = "n${count.index}.csv"
}

stage "stats" "byeach" {
  for_each = var.files
  input    = stage.import.in[each.key].table
  alpha    = length(stage.import.n[1].table.path)
}

stage "stats" "literal" {
  input = stage.import.in["b"].table
  alpha = length(stage.import.in.a.schema.path) + length(stage.import.n[2 - 1].table.path)
}

stage "stats" "local" {
  input = local.all["a"].table
}

stage "stats" "explicit" {
  input      = stage.import.in["a"].table
  depends_on = [stage.import.in]
}

stage "stats" "dynamic" {
  input = stage.import.in[stage.import.n[0].table.path].table
}
`, LoadOptions{})
	for addr, want := range map[string]string{
		`stage.stats.byeach["a"]`: `stage.import.in["a"] stage.import.n[1]`,
		`stage.stats.byeach["b"]`: `stage.import.in["b"] stage.import.n[1]`,
		"stage.stats.literal":     `stage.import.in["a"] stage.import.in["b"] stage.import.n[1]`,
		"stage.stats.local":       `stage.import.in["a"] stage.import.in["b"]`,
		"stage.stats.explicit":    `stage.import.in["a"] stage.import.in["b"]`,
		"stage.stats.dynamic":     `stage.import.in["a"] stage.import.in["b"] stage.import.n[0]`,
	} {
		if got := strings.Join(p.Stage(addr).DependsOn, " "); got != want {
			t.Errorf("%s depends on %s, want %s", addr, got, want)
		}
	}
	// The instance evaluates with only what it depends on.
	up := map[string]map[string]Artifact{}
	for _, a := range p.Stage(`stage.stats.byeach["b"]`).DependsOn {
		up[a] = map[string]Artifact{"table": {Path: "/" + a, SHA256: "00", Available: true}}
	}
	cfg, _, diags := p.Eval(`stage.stats.byeach["b"]`, up)
	if diags.HasErrors() || !cfg.IsWhollyKnown() || cfg.GetAttr("input").GetAttr("path").AsString() != `/stage.import.in["b"]` {
		t.Errorf("byeach[b] = %#v %s", cfg, diags.Error())
	}
}
