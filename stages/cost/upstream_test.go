package cost

import (
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"

	"github.com/tr119/tr119/engine"
)

func TestCheckGenerationMode(t *testing.T) {
	modes := func(m ...string) cty.Value {
		if m == nil {
			return cty.ObjectVal(map[string]cty.Value{"modes": cty.NullVal(cty.List(cty.String))})
		}
		var vs []cty.Value
		for _, s := range m {
			vs = append(vs, cty.StringVal(s))
		}
		return cty.ObjectVal(map[string]cty.Value{"modes": cty.ListVal(vs)})
	}
	bench := func(name string, cfg cty.Value) engine.Upstream {
		return engine.Upstream{Addr: "stage.benchmark." + name, Kind: "benchmark", Config: cfg}
	}
	request := func(mode string) cty.Value {
		return cty.ObjectVal(map[string]cty.Value{"request": cty.ObjectVal(map[string]cty.Value{"generation_mode": cty.StringVal(mode)})})
	}
	noRequest := cty.ObjectVal(map[string]cty.Value{"request": cty.NullVal(cty.Object(map[string]cty.Type{"generation_mode": cty.String}))})
	for _, tc := range []struct {
		name     string
		config   cty.Value
		upstream []engine.Upstream
		want     string // "" = no error
	}{
		{"measured by one of two", request("decode"), []engine.Upstream{bench("a", modes("prefill")), bench("b", modes("decode"))}, ""},
		{"default modes measure everything", request("decode"), []engine.Upstream{bench("a", modes())}, ""},
		{"measured by none", request("decode"), []engine.Upstream{bench("a", modes("prefill", "generate")), bench("b", modes("prefill"))},
			`no benchmark this stage reads measures "decode": stage.benchmark.a (prefill, generate), stage.benchmark.b (prefill)`},
		{"default generation mode checked too", noRequest, []engine.Upstream{bench("a", modes("prefill", "decode"))}, `measures "generate"`},
		{"an import may hold any mode", request("decode"), []engine.Upstream{bench("a", modes("prefill")), {Addr: "stage.import.x", Kind: "import", Config: cty.EmptyObjectVal}}, ""},
		{"modes not known yet", request("decode"), []engine.Upstream{bench("a", cty.ObjectVal(map[string]cty.Value{"modes": cty.UnknownVal(cty.List(cty.String))}))}, ""},
		{"mode not known yet", cty.ObjectVal(map[string]cty.Value{"request": cty.ObjectVal(map[string]cty.Value{"generation_mode": cty.UnknownVal(cty.String)})}),
			[]engine.Upstream{bench("a", modes("prefill"))}, ""},
		{"no benchmark at all", request("decode"), nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := checkGenerationMode(tc.config, tc.upstream)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tc.want != "" && err == nil:
				t.Fatalf("no error, want %q", tc.want)
			case tc.want != "" && !strings.Contains(err.Error(), tc.want):
				t.Fatalf("error %q, want it to contain %q", err.Error(), tc.want)
			}
			if err != nil && !strings.Contains(err.Error(), "generation_mode") {
				t.Errorf("error %q does not name request.generation_mode", err.Error())
			}
		})
	}
}
