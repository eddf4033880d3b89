package schema

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/hashicorp/hcl/v2"
)

// testBody is a small stage-like schema using every feature.
func testBody() *Body {
	return &Body{
		Attrs: []*Attr{
			{Name: "preset", Type: cty.String, Default: cty.StringVal("gpt2"), Doc: "model size", OneOf: []string{"gpt2", "tiny"}},
			{Name: "repetitions", Type: cty.Number, Default: cty.NumberIntVal(7), Integer: true, Min: Float(1), Max: Float(1000), Doc: "measured repetitions"},
			{Name: "modes", Type: cty.List(cty.String), OneOf: []string{"prefill", "decode"}, MinItems: 1, Unique: true, Doc: "modes"},
			{Name: "label", Type: cty.String, MaxLen: 8, Display: true, Doc: "label"},
			{Name: "price", Type: cty.DynamicPseudoType, Required: true, Min: Float(0), Doc: "price",
				Check: func(v cty.Value) error {
					if v.Type() != cty.Number && !v.Type().IsObjectType() && !v.Type().IsMapType() {
						return fmt.Errorf("want a number or a map of numbers")
					}
					return nil
				}},
			{Name: "fused", Type: cty.Bool, Default: cty.False, SpecDefault: true, Doc: "fused graphs"},
		},
		Blocks: []*Block{
			{Name: "request", Nesting: Single, Doc: "the request", Body: &Body{
				Attrs: []*Attr{
					{Name: "mode", Type: cty.String, Default: cty.StringVal("decode"), Doc: "mode"},
					{Name: "tokens", Type: cty.Number, Default: cty.NumberIntVal(128), Integer: true, Min: Float(1), Doc: "tokens"},
				},
				Rules: []Rule{{Doc: "mode is not prefill", Check: func(v cty.Value) []*PathError {
					if m, ok := Known(v, "mode"); ok && m.AsString() == "prefill" {
						return []*PathError{Errorf(cty.GetAttrPath("mode"), "Invalid mode", "prefill has no request")}
					}
					return nil
				}}},
			}},
			{Name: "tier", Nesting: Map, Doc: "price tiers", Body: &Body{Attrs: []*Attr{
				{Name: "usd", Type: cty.Number, Required: true, Min: Float(0), Doc: "price"},
			}}},
			{Name: "step", Nesting: List, Doc: "steps", Body: &Body{Attrs: []*Attr{
				{Name: "n", Type: cty.Number, Required: true, Max: Float(3), Doc: "n"},
			}}},
		},
		Rules: []Rule{{Doc: "modes holds the request's mode", Check: func(v cty.Value) []*PathError {
			modes, ok1 := Known(v, "modes")
			mode, ok2 := Known(v, "request", "mode")
			if !ok1 || !ok2 {
				return nil
			}
			for _, m := range modes.AsValueSlice() {
				if m.AsString() == mode.AsString() {
					return nil
				}
			}
			return []*PathError{Errorf(cty.GetAttrPath("request").GetAttr("mode"), "Mode not measured", "%s is not in modes", mode.AsString())}
		}}},
	}
}

func decodeSrc(t *testing.T, b *Body, src string, vars map[string]cty.Value) cty.Value {
	t.Helper()
	f, diags := hclsyntax.ParseConfig([]byte(src), "t.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	v, diags := hcldec.Decode(f.Body, b.Spec(), &hcl.EvalContext{Variables: vars})
	if diags.HasErrors() {
		t.Fatalf("decode %q: %v", src, diags)
	}
	return v
}

func TestValidate(t *testing.T) {
	unknown := map[string]cty.Value{"up": cty.UnknownVal(cty.Number), "upl": cty.UnknownVal(cty.List(cty.String))}
	for _, tc := range []struct {
		name, src string
		want      []string // "path: summary" of each error, in order
	}{
		{"valid", `price = 1`, nil},
		{"valid everything", `
preset = "tiny"
repetitions = 3
modes = ["prefill", "decode"]
label = "short"
price = { cpu = 1, gpu = 2 }
request { tokens = 4 }
tier "spot" { usd = 0.5 }
step { n = 1 }
step { n = 2 }`, nil},
		{"oneof", `
price = 1
preset = "gpt3"`, []string{`preset: Invalid value`}},
		{"range and integer", `
price = 1
repetitions = 2.5`, []string{`repetitions: Invalid value`}},
		{"below min", `
price = 1
repetitions = -3`, []string{`repetitions: Value out of range`}},
		{"huge", `
price = 1
repetitions = 1e400`, []string{`repetitions: Value out of range`}},
		{"list elements", `
price = 1
modes = ["decode", "decoding"]`, []string{`modes[1]: Invalid value`}},
		{"empty list", `
price = 1
modes = []`, []string{`modes: Too few elements`}},
		{"duplicates", `
price = 1
modes = ["decode", "decode"]`, []string{`modes[1]: Duplicate element`}},
		{"max len", `
price = 1
label = "much too long"`, []string{`label: Value too long`}},
		{"map elements", `price = { cpu = -1, gpu = 2 }`, []string{`price.cpu: Value out of range`}},
		{"check", `price = "x"`, []string{`price: Invalid value`}},
		{"null required", `price = null`, []string{`price: Missing required argument`}},
		{"nested block", `
price = 1
request { tokens = 0 }`, []string{`request.tokens: Value out of range`}},
		{"map block", `
price = 1
tier "spot" { usd = -1 }`, []string{`tier["spot"].usd: Value out of range`}},
		{"list block", `
price = 1
step { n = 1 }
step { n = 4 }`, []string{`step[1].n: Value out of range`}},
		{"nested rule", `
price = 1
request { mode = "prefill" }`, []string{`request.mode: Invalid mode`}},
		{"cross-field rule", `
price = 1
modes = ["prefill"]
request { mode = "decode" }`, []string{`request.mode: Mode not measured`}},
		{"several at once", `
price = -1
preset = "x"
repetitions = 0`, []string{`preset: Invalid value`, `repetitions: Value out of range`, `price: Value out of range`}},
		{"unknown skipped", `
price = up
repetitions = up
modes = upl
request { tokens = up }`, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := testBody()
			var got []string
			for _, e := range b.Validate(decodeSrc(t, b, tc.src, unknown)) {
				got = append(got, FormatPath(e.Path)+": "+e.Summary)
				if e.Detail == "" {
					t.Errorf("%s: empty detail", FormatPath(e.Path))
				}
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

func TestValidateDetails(t *testing.T) {
	b := testBody()
	errs := b.Validate(decodeSrc(t, b, `
price = 1
preset = "gpt3"`, nil))
	if len(errs) != 1 || !strings.Contains(errs[0].Detail, `Did you mean "gpt2"?`) {
		t.Fatalf("want a did-you-mean, got %v", errs)
	}
	if got := errs[0].Error(); !strings.HasPrefix(got, "preset: ") {
		t.Errorf("Error() = %q, want the path first", got)
	}
}

type testRequest struct {
	Mode   string `cty:"mode"`
	Tokens int    `cty:"tokens"`
}

type testTier struct {
	USD float64 `cty:"usd"`
}

type testStep struct {
	N int `cty:"n"`
}

type testConfig struct {
	Preset      string              `cty:"preset"`
	Repetitions int                 `cty:"repetitions"`
	Modes       []string            `cty:"modes"`
	Label       *string             `cty:"label"`
	Price       cty.Value           `cty:"price"`
	Fused       bool                `cty:"fused"`
	Request     testRequest         `cty:"request"`
	Tier        map[string]testTier `cty:"tier"`
	Step        []testStep          `cty:"step"`
}

func TestDecodeFillsDefaults(t *testing.T) {
	b := testBody()
	v := decodeSrc(t, b, `
price = 2
tier "spot" { usd = 0.5 }
step { n = 3 }`, nil)
	if got := v.GetAttr("fused"); !got.RawEquals(cty.False) {
		t.Errorf("SpecDefault: fused = %#v, want false filled by Spec", got)
	}
	if got := v.GetAttr("preset"); !got.IsNull() {
		t.Errorf("preset = %#v, want null (no SpecDefault)", got)
	}
	var c testConfig
	if err := b.Decode(v, &c); err != nil {
		t.Fatal(err)
	}
	want := testConfig{Preset: "gpt2", Repetitions: 7, Request: testRequest{Mode: "decode", Tokens: 128},
		Tier: map[string]testTier{"spot": {USD: 0.5}}, Step: []testStep{{N: 3}}}
	if c.Preset != want.Preset || c.Repetitions != want.Repetitions || c.Request != want.Request ||
		c.Tier["spot"] != want.Tier["spot"] || len(c.Step) != 1 || c.Step[0] != want.Step[0] || c.Label != nil || c.Modes != nil {
		t.Errorf("got %+v\nwant %+v", c, want)
	}
	if !c.Price.RawEquals(cty.NumberIntVal(2)) {
		t.Errorf("price = %#v", c.Price)
	}
}

func TestDecodeErrors(t *testing.T) {
	b := testBody()
	v := decodeSrc(t, b, `
price = 2
repetitions = 2.5`, nil)
	var c testConfig
	err := b.Decode(v, &c)
	if err == nil || !strings.HasPrefix(err.Error(), "repetitions: ") {
		t.Errorf("got %v, want an error naming repetitions", err)
	}
	u := decodeSrc(t, b, `price = up`, map[string]cty.Value{"up": cty.UnknownVal(cty.Number)})
	if err := b.Decode(u, &c); err == nil {
		t.Error("decoding an unknown value: want an error")
	}
}

func TestFields(t *testing.T) {
	var lines []string
	for _, f := range testBody().Fields() {
		lines = append(lines, fmt.Sprintf("%s|%s|%v|%s|%s", f.Path, f.Type, f.Required, f.Default, f.Constraints))
	}
	got := strings.Join(lines, "\n")
	for _, want := range []string{
		`preset|string|false|"gpt2"|one of "gpt2", "tiny"`,
		`repetitions|number|false|7|whole number; a value from 1 to 1000`,
		`modes|list of string|false||one of "prefill", "decode"; at least 1 element(s); no duplicates`,
		`label|string|false||at most 8 characters; display only`,
		`price|any|true||a value >= 0`,
		`tier|blocks tier "NAME"|false||`,
		`tier[NAME].usd|number|true||a value >= 0`,
		`step[N].n|number|true||a value <= 3`,
		`request.mode|string|false|"decode"|`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("fields lack %q:\n%s", want, got)
		}
	}
	if docs := testBody().RuleDocs(); len(docs) != 2 {
		t.Errorf("RuleDocs = %q, want both rules", docs)
	}
}

func TestSuggest(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"decod", "decode"}, {"gpt3", "gpt2"}, {"zzzzzz", ""},
	} {
		if got := Suggest(tc.in, []string{"decode", "prefill", "gpt2"}); got != tc.want {
			t.Errorf("Suggest(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
