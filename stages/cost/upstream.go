package cost

import (
	"slices"
	"strings"

	"github.com/zclconf/go-cty/cty"

	"github.com/tr119/tr119/engine"
	"github.com/tr119/tr119/schema"
	aio "github.com/tr119/tr119/stages/internal/analysisio"
)

// CheckUpstream implements engine.UpstreamChecker: an import feeding runs
// must read its file as a runs table, and the request's generation mode
// must be one that a benchmark it reads measures.
func (Kind) CheckUpstream(config cty.Value, upstream []engine.Upstream, workspace string) []*schema.PathError {
	errs := aio.CheckRunsSource(upstream, workspace, "runs", "runs/")
	if e := checkGenerationMode(config, upstream); e != nil {
		errs = append(errs, e)
	}
	return errs
}

// benchmarkModes is the benchmark kind's default modes, for a benchmark
// whose config leaves them out.
var benchmarkModes = []string{"prefill", "generate", "decode"}

// checkGenerationMode: priced per request with a mode that no benchmark
// measures, the requests table would come out empty and the report would
// say no request table was given. Runs from anything but a benchmark (an
// import) may hold any mode, so then nothing is said.
func checkGenerationMode(config cty.Value, upstream []engine.Upstream) *schema.PathError {
	mode, ok := generationMode(config)
	if !ok {
		return nil
	}
	var sources []string
	for _, u := range upstream {
		if u.Kind != "benchmark" {
			if u.Kind == "import" {
				return nil
			}
			continue
		}
		modes, known := stringList(u.Config, "modes")
		if !known {
			return nil
		}
		if modes == nil {
			modes = benchmarkModes
		}
		if slices.Contains(modes, mode) {
			return nil
		}
		sources = append(sources, u.Addr+" ("+strings.Join(modes, ", ")+")")
	}
	if len(sources) == 0 {
		return nil
	}
	return schema.Errorf(cty.GetAttrPath("request").GetAttr("generation_mode"), "Mode not measured",
		"The request cost prices generated tokens at the %q rate, but no benchmark this stage reads measures %q: %s. Add %q to a benchmark's modes, or set generation_mode to a mode they measure.",
		mode, mode, strings.Join(sources, ", "), mode)
}

// generationMode is request.generation_mode, or the default when the
// request block or the attribute is left out.
func generationMode(config cty.Value) (string, bool) {
	if config.IsNull() || !config.IsKnown() || !config.Type().IsObjectType() || !config.Type().HasAttribute("request") {
		return "generate", true
	}
	r := config.GetAttr("request")
	if !r.IsKnown() {
		return "", false
	}
	if r.IsNull() || !r.Type().IsObjectType() || !r.Type().HasAttribute("generation_mode") {
		return "generate", true
	}
	m := r.GetAttr("generation_mode")
	if !m.IsKnown() || (!m.IsNull() && m.Type() != cty.String) {
		return "", false
	}
	if m.IsNull() {
		return "generate", true
	}
	return m.AsString(), true
}

// stringList reads a list of strings; nil with known true when absent.
func stringList(v cty.Value, attr string) ([]string, bool) {
	if v.IsNull() || !v.IsKnown() || !v.Type().IsObjectType() || !v.Type().HasAttribute(attr) {
		return nil, v.IsKnown()
	}
	l := v.GetAttr(attr)
	if l.IsNull() {
		return nil, true
	}
	if !l.IsWhollyKnown() || !(l.Type().IsListType() || l.Type().IsTupleType() || l.Type().IsSetType()) {
		return nil, false
	}
	var out []string
	for it := l.ElementIterator(); it.Next(); {
		_, e := it.Element()
		if e.IsNull() || e.Type() != cty.String {
			return nil, false
		}
		out = append(out, e.AsString())
	}
	return out, true
}
