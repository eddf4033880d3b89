package engine

import (
	"strings"
	"testing"
)

// TestVarValueErrors: a -var or environment value that does not fit is
// echoed in its error, and a non-finite number names the variable.
func TestVarValueErrors(t *testing.T) {
	src := `variable "price" { type = number }
variable "on" { type = bool }
variable "prices" { type = map(number) }
variable "label" { type = string }
`
	tests := []struct {
		vars    []VarArg
		environ []string
		want    string
	}{
		{vars: []VarArg{{Name: "price", Value: "abc"}}, want: "The -var price of var.price is unsuitable: `abc` is not a number."},
		{vars: []VarArg{{Name: "price", Value: "-Inf"}}, want: "The -var price of var.price is unsuitable: var.price is -Inf, not a finite number."},
		{vars: []VarArg{{Name: "price", Value: "1e400"}}, want: "var.price is 1e+400, not a finite number"},
		{vars: []VarArg{{Name: "on", Value: "yes please"}}, want: "`yes please` is not a bool (true or false)"},
		{vars: []VarArg{{Name: "prices", Value: `{cpu = 1/0}`}}, want: `var.prices["cpu"] is +Inf, not a finite number`},
		{environ: []string{"TR119_VAR_price=Inf"}, want: "The environment variable TR119_VAR_price of var.price is unsuitable: var.price is +Inf"},
	}
	for _, tt := range tests {
		vars := append([]VarArg{{Name: "price", Value: "1"}, {Name: "on", Value: "true"}, {Name: "prices", Value: "{}"}, {Name: "label", Value: "x"}}, tt.vars...)
		if tt.environ != nil {
			vars = vars[1:]
		}
		_, diags := loadSources(t.TempDir(), map[string][]byte{"p.hcl": []byte(src)}, testRegistry(), LoadOptions{Vars: vars, Environ: tt.environ})
		if len(diags) != 1 || !strings.Contains(diags[0].Detail, tt.want) {
			t.Errorf("%v %v: got %v, want one error with %q", tt.vars, tt.environ, diags, tt.want)
		}
	}
}

// TestLoadMisspeltPipeline: a pipeline path that does not exist names the
// closest .hcl file or folder beside it.
func TestLoadMisspeltPipeline(t *testing.T) {
	tests := []struct{ path, want string }{
		{fixture("vars") + "/pipline.hcl", `Did you mean "` + fixture("vars") + `/pipeline.hcl"?`},
		{fixture("varz"), `Did you mean "` + fixture("vars") + `"?`},
		{fixture("vars") + "/nothing-like-it.hcl", "no such file or directory"},
	}
	for _, tt := range tests {
		_, diags := Load(tt.path, testRegistry(), LoadOptions{})
		if len(diags) != 1 || !strings.Contains(diags[0].Detail, tt.want) {
			t.Errorf("%s: got %v, want %q", tt.path, diags, tt.want)
		}
	}
}
