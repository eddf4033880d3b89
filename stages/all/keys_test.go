package all

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tr119/tr119/engine"
	"github.com/tr119/tr119/internal/golden"
)

// shippedPipelines are the pipelines the repository ships, with the
// variable files and values its documentation gives them.
var shippedPipelines = []struct {
	name, path string
	vars       []engine.VarArg
}{
	{"pipeline.hcl", "pipeline.hcl", nil},
	{"pipeline.hcl -var preset=tiny", "pipeline.hcl", []engine.VarArg{{Name: "preset", Value: "tiny"}}},
	{"pipeline.hcl -var-file=examples/gpu.tfvars", "pipeline.hcl", []engine.VarArg{{File: filepath.Join("..", "..", "examples", "gpu.tfvars")}}},
	{"examples/analysis", "examples/analysis", nil},
	{"examples/quickstart", "examples/quickstart", nil},
}

// fakeUpstream gives every output of every stage a made-up artifact, so
// that every stage's config is wholly known.
func fakeUpstream(p *engine.Pipeline) map[string]map[string]engine.Artifact {
	up := map[string]map[string]engine.Artifact{}
	for _, st := range p.Stages {
		up[st.Addr] = map[string]engine.Artifact{}
		for _, o := range st.Kind.Info().Outputs {
			sum := sha256.Sum256([]byte(st.Addr + "." + o.Name))
			up[st.Addr][o.Name] = engine.Artifact{Path: "/fake/" + o.Name, SHA256: hex.EncodeToString(sum[:]),
				MediaType: o.MediaType, Dir: o.Dir, Stage: st.Addr, Available: true}
		}
	}
	return up
}

// The config line of every non-benchmark stage's action key in the shipped
// pipelines is pinned: a schema change that alters one would re-run every
// stage downstream in every workspace. (Benchmark keys change with key v2;
// a kind's version, the key's other line, is bumped deliberately.)
func TestShippedConfigKeysUnchanged(t *testing.T) {
	var lines []string
	for _, sp := range shippedPipelines {
		path := sp.name
		p, diags := engine.Load(filepath.Join("..", "..", sp.path), Registry(), engine.LoadOptions{Vars: sp.vars})
		if diags.HasErrors() {
			t.Fatalf("%s: %s", path, diags.Error())
		}
		up := fakeUpstream(p)
		for _, st := range p.Order() {
			if st.KindName == "benchmark" {
				continue
			}
			v, _, diags := p.Eval(st.Addr, up)
			if diags.HasErrors() {
				t.Fatalf("%s %s: %s", path, st.Addr, diags.Error())
			}
			js, err := engine.CanonicalConfig(v)
			if err != nil {
				t.Fatalf("%s %s: %v", path, st.Addr, err)
			}
			lines = append(lines, fmt.Sprintf("%s %s config %s", path, st.Addr, js))
		}
	}
	got := strings.Join(lines, "\n") + "\n"
	golden.Check(t, filepath.Join("testdata", "config_keys.golden"), []byte(got))
}
