package all

import (
	"path/filepath"
	"testing"

	"github.com/tr119/tr119/engine"
)

// Every shipped pipeline loads and checks cleanly against the shipped
// kinds, so an attribute renamed in a kind cannot silently break one.
func TestShippedPipelinesValidate(t *testing.T) {
	for _, p := range []string{
		"pipeline.hcl",
		"examples/analysis",
		"examples/quickstart",
	} {
		t.Run(p, func(t *testing.T) {
			pl, diags := engine.Load(filepath.Join("..", "..", p), Registry(), engine.LoadOptions{})
			if diags.HasErrors() {
				t.Fatalf("%s: %s", p, diags.Error())
			}
			if len(pl.Stages) == 0 {
				t.Fatalf("%s: no stages", p)
			}
		})
	}
}
