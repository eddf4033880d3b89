package engine

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"
)

func TestVariablePrecedence(t *testing.T) {
	one := filepath.Join(fixture("vars"), "one.vars")
	two := filepath.Join(fixture("vars"), "two.vars")
	tests := []struct {
		name    string
		opts    LoadOptions
		want    map[string]string // variable -> JSON of its value
		warning string
	}{
		{"defaults", LoadOptions{}, map[string]string{"price": "1", "name": `"d"`, "sizes": "[1]", "opts": `{"a":1,"b":"dflt"}`}, ""},
		{"env over default", LoadOptions{Environ: []string{"TR119_VAR_price=2", "TR119_VAR_sizes=[5]", "TR119_VAR_nope=1", "OTHER=1"}},
			map[string]string{"price": "2", "sizes": "[5]"}, ""},
		{"file over env", LoadOptions{Environ: []string{"TR119_VAR_price=2"}, Vars: []VarArg{{File: one}}},
			map[string]string{"price": "3", "name": `"file1"`}, ""},
		{"later file wins", LoadOptions{Vars: []VarArg{{File: one}, {File: two}}},
			map[string]string{"price": "4", "name": `"file1"`, "sizes": "[7,8]"}, `no variable "unknown_thing"`},
		{"-var after file wins", LoadOptions{Vars: []VarArg{{File: one}, {Name: "price", Value: "9"}}},
			map[string]string{"price": "9"}, ""},
		{"file after -var wins", LoadOptions{Vars: []VarArg{{Name: "price", Value: "9"}, {File: one}}},
			map[string]string{"price": "3"}, ""},
		{"untyped -var is a string", LoadOptions{Vars: []VarArg{{Name: "name", Value: "[1]"}}},
			map[string]string{"name": `"[1]"`}, ""},
		{"object -var parsed as HCL", LoadOptions{Vars: []VarArg{{Name: "opts", Value: `{ a = 2, b = "x" }`}}},
			map[string]string{"opts": `{"a":2,"b":"x"}`}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, diags := Load(fixture("vars"), testRegistry(), tt.opts)
			if diags.HasErrors() {
				t.Fatal(diags.Error())
			}
			if tt.warning != "" && !strings.Contains(diags.Error(), tt.warning) {
				t.Errorf("want a warning %q, got %v", tt.warning, diags)
			}
			for name, want := range tt.want {
				v := p.Variables[name]
				b, err := ctyjson.Marshal(v, v.Type())
				if err != nil {
					t.Fatal(err)
				}
				if string(b) != want {
					t.Errorf("var.%s = %s, want %s", name, b, want)
				}
			}
		})
	}
}

func TestVariableErrors(t *testing.T) {
	tests := []struct {
		name string
		opts LoadOptions
		want string
	}{
		{"undeclared -var", LoadOptions{Vars: []VarArg{{Name: "prices", Value: "1"}}}, `there is no variable "prices". Did you mean "price"?`},
		{"bad number", LoadOptions{Vars: []VarArg{{Name: "price", Value: "cheap"}}}, "`cheap` is not a number"},
		{"bad list", LoadOptions{Vars: []VarArg{{Name: "sizes", Value: "[1,"}}}, "list(number)"},
		{"bad env", LoadOptions{Environ: []string{"TR119_VAR_price=x"}}, "environment variable TR119_VAR_price"},
		{"missing file", LoadOptions{Vars: []VarArg{{File: "nope.vars"}}}, "Check the -var-file path"},
		{"broken file", LoadOptions{Vars: []VarArg{{File: filepath.Join(fixture("vars"), "broken.vars")}}}, "broken.vars:1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, diags := Load(fixture("vars"), testRegistry(), tt.opts)
			if !diags.HasErrors() || !strings.Contains(diags.Error(), tt.want) {
				t.Errorf("want an error containing %q, got %v", tt.want, diags)
			}
		})
	}
}

func TestVariableValidation(t *testing.T) {
	tests := []struct {
		price string
		ok    bool
	}{{"1", true}, {"999", true}, {"0", false}, {"1000", false}}
	for _, tt := range tests {
		_, diags := Load(fixture("validation"), testRegistry(), LoadOptions{Vars: []VarArg{{Name: "price", Value: tt.price}}})
		if diags.HasErrors() == tt.ok {
			t.Errorf("price %s: errors %v, want ok=%v", tt.price, diags, tt.ok)
		}
	}
	p, _ := Load(fixture("validation"), testRegistry(), LoadOptions{Vars: []VarArg{{Name: "price", Value: "5"}}})
	if !p.Variables["price"].RawEquals(cty.NumberIntVal(5)) {
		t.Errorf("price %#v", p.Variables["price"])
	}
}
