package engine

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"
)

func loadOK(t *testing.T, opts LoadOptions) *Pipeline {
	t.Helper()
	p, diags := Load(fixture("ok"), testRegistry(), opts)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	return p
}

func TestDependsOn(t *testing.T) {
	p := loadOK(t, LoadOptions{})
	tests := []struct{ addr, want string }{
		{"stage.import.runs", ""},
		{"stage.cost.main", "stage.import.runs"},
		// via the output reference and the explicit depends_on, deduplicated
		{"stage.stats.summary", "stage.cost.main,stage.import.runs"},
		// through a data block and a local, no stage
		{"stage.stats.alone", ""},
	}
	for _, tt := range tests {
		s := p.Stage(tt.addr)
		if s == nil {
			t.Fatalf("no stage %s", tt.addr)
		}
		if got := strings.Join(s.DependsOn, ","); got != tt.want {
			t.Errorf("%s depends on %q, want %q", tt.addr, got, tt.want)
		}
	}
	var order []string
	for _, s := range p.Order() {
		order = append(order, s.Addr)
	}
	want := "stage.import.runs,stage.cost.main,stage.stats.alone,stage.stats.summary"
	if strings.Join(order, ",") != want {
		t.Errorf("order %v, want %s", order, want)
	}
	if p.Settings["onnxruntime_library"] != "lib/libonnxruntime.so" {
		t.Errorf("settings %v", p.Settings)
	}
}

func TestEval(t *testing.T) {
	p := loadOK(t, LoadOptions{Vars: []VarArg{{Name: "price", Value: "2"}}})
	prompts, err := os.ReadFile(filepath.Join(fixture("ok"), "prompts.txt"))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(prompts)
	promptsHash := hex.EncodeToString(sum[:])
	table := Artifact{Path: "/cache/t", SHA256: "abc", Size: 3, MediaType: "x", Stage: "stage.import.runs", Available: true}
	tests := []struct {
		addr     string
		upstream map[string]map[string]Artifact
		check    func(t *testing.T, v cty.Value)
		files    map[string]string
	}{
		{"stage.cost.main", nil, func(t *testing.T, v cty.Value) {
			// local.doubled = local.price2 * 2 = var.price * 2
			if f, _ := v.GetAttr("price").AsBigFloat().Float64(); f != 4 {
				t.Errorf("price %v, want 4", f)
			}
			if got := v.GetAttr("label").AsString(); got != "BASE" {
				t.Errorf("label %q", got)
			}
			if v.GetAttr("runs").IsWhollyKnown() {
				t.Errorf("runs should be unknown without upstream")
			}
			tags := v.GetAttr("tags").AsValueSlice()
			if len(tags) != 2 || tags[1].AsString() != "short" {
				t.Errorf("tags %#v", tags)
			}
			// the file is read by scenario.short, which this stage uses
		}, map[string]string{"prompts.txt": promptsHash}},
		{"stage.cost.main", map[string]map[string]Artifact{"stage.import.runs": {"table": table}}, func(t *testing.T, v cty.Value) {
			got, err := ArtifactFromValue(v.GetAttr("runs").Index(cty.NumberIntVal(0)))
			if err != nil || got != table {
				t.Errorf("runs[0] = %+v, %v; want %+v", got, err, table)
			}
		}, map[string]string{"prompts.txt": promptsHash}},
		{"stage.stats.alone", nil, func(t *testing.T, v cty.Value) {
			if f, _ := v.GetAttr("alpha").AsBigFloat().Float64(); f != 2 {
				t.Errorf("alpha %v, want 2 prompts", f)
			}
		}, map[string]string{"prompts.txt": promptsHash}},
		{"stage.import.runs", nil, func(t *testing.T, v cty.Value) {
			if v.GetAttr("path").AsString() != "runs.csv" {
				t.Errorf("path %#v", v)
			}
		}, map[string]string{}},
		{"stage.stats.summary", nil, func(t *testing.T, v cty.Value) {
			if v.Type().HasAttribute("depends_on") {
				t.Errorf("depends_on left in config")
			}
		}, map[string]string{}},
	}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			v, files, diags := p.Eval(tt.addr, tt.upstream)
			if diags.HasErrors() {
				t.Fatal(diags.Error())
			}
			tt.check(t, v)
			if len(files) != len(tt.files) || files["prompts.txt"] != tt.files["prompts.txt"] {
				t.Errorf("files %v, want %v", files, tt.files)
			}
		})
	}
	if _, _, diags := p.Eval("stage.nope.x", nil); !diags.HasErrors() {
		t.Errorf("Eval of a missing stage: no error")
	}
}

func TestFunctions(t *testing.T) {
	dir := t.TempDir()
	src := `
locals {
  n   = max(1, 5, 3) + length("abc") + length([1, 2])
  s   = join("-", sort(["b", "a"]))
  j   = jsondecode(jsonencode({ a = 1 })).a
  ok  = can(tonumber("x"))
  tr  = try(tonumber("x"), 7)
  h   = filesha256("data.bin")
  rng = range(3)
}

stage "stats" "f" {
  alpha = local.n + local.j + local.tr + length(local.rng) + (local.ok ? 100 : 0)
  input = {
    path = local.s, sha256 = local.h, size = 0, media_type = "", dir = false,
    stage = "", available = true, reason = ""
  }
}
`
	data := []byte{0xff, 0x00, 0x01}
	if err := os.WriteFile(filepath.Join(dir, "p.hcl"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "data.bin"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	p, diags := Load(dir, testRegistry(), LoadOptions{})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	v, files, diags := p.Eval("stage.stats.f", nil)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	sum := sha256.Sum256(data)
	want := hex.EncodeToString(sum[:])
	if f, _ := v.GetAttr("alpha").AsBigFloat().Float64(); f != 5+3+2+1+7+3 {
		t.Errorf("alpha %v", f)
	}
	in := v.GetAttr("input")
	if in.GetAttr("path").AsString() != "a-b" || in.GetAttr("sha256").AsString() != want {
		t.Errorf("input %#v", in)
	}
	if files["data.bin"] != want || len(files) != 1 {
		t.Errorf("files %v", files)
	}
}

func TestFileErrors(t *testing.T) {
	tests := []struct{ name, expr, want string }{
		{"missing", `file("nope.txt")`, "nope.txt"},
		{"binary", `file("data.bin")`, "not UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			src := "stage \"import\" \"a\" {\n  path = " + tt.expr + "\n}\n"
			for name, b := range map[string][]byte{"data.bin": {0xff}, "p.hcl": []byte(src)} {
				if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			_, diags := Load(dir, testRegistry(), LoadOptions{})
			if !diags.HasErrors() || !strings.Contains(diags.Error(), tt.want) {
				t.Fatalf("want an error naming %q, got %v", tt.want, diags)
			}
			if !strings.Contains(diags.Error(), "p.hcl:2,") {
				t.Errorf("error lacks its position: %v", diags)
			}
		})
	}
}
