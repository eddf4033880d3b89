package mutation

import (
	"strings"
	"testing"
)

func TestMutants(t *testing.T) {
	src := `variable "skip" {
  default = 3
}
variable "price" {
  default = 0.2
}
locals {
  modes = ["a", "b"]
}
stage "cost" "x" {
  runs = local.modes
  local {
    share = { cpu = 1, gpu = 2 }
  }
}
`
	ms, err := Mutants("p.hcl", []byte(src), Options{SkipVariables: map[string]bool{"skip": true}})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range ms {
		names = append(names, m.Name)
		if string(m.Src) == src {
			t.Errorf("%s: not mutated", m.Name)
		}
	}
	got := strings.Join(names, "\n")
	for _, want := range []string{
		"p.hcl:5:13 var.price: 0.2 -> 0",
		"p.hcl:5:13 var.price: 0.2 -> 1e400",
		`p.hcl:8:11 local.modes: ["a", "b"] -> []`,
		`p.hcl:8:11 local.modes: ["a", "b"] -> first element dropped`,
		`p.hcl:8:12 local.modes[0]: "a" -> "bogus"`,
		"p.hcl:11:3 stage.cost.x.runs removed",
		"p.hcl:12:3 stage.cost.x.local block removed",
		"p.hcl:13:13 stage.cost.x.local.share: { cpu = 1, gpu = 2 } -> without cpu",
		"p.hcl:13:21 stage.cost.x.local.share.cpu: 1 -> 2.5",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("mutants lack %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "var.skip") {
		t.Error("a skipped variable was mutated")
	}
}
