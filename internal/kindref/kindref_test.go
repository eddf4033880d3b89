package kindref

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"

	"github.com/tr119/tr119/engine"
	"github.com/tr119/tr119/schema"
)

type testKind struct{}

func (testKind) Info() engine.KindInfo {
	return engine.KindInfo{Name: "demo", Version: "2", Deterministic: true, Doc: "Demonstrates.",
		Outputs: []engine.OutputInfo{{Name: "table", MediaType: "application/vnd.apache.parquet", Doc: "a | table"}}}
}

func (testKind) Schema() *schema.Body {
	return &schema.Body{
		Attrs: []*schema.Attr{
			{Name: "mode", Type: cty.String, Default: cty.StringVal("fast"), OneOf: []string{"fast", "slow"}, Doc: "How."},
			engine.ArtifactAttr("input", true, "What."),
		},
		Blocks: []*schema.Block{{Name: "limits", Doc: "Bounds.", Body: &schema.Body{Attrs: []*schema.Attr{
			{Name: "n", Type: cty.Number, Min: schema.Float(1), Integer: true, Doc: "Count."},
		}}}},
		Rules: []schema.Rule{{Doc: "mode fits the input."}},
	}
}

func (testKind) Run(context.Context, *engine.Run) (*engine.Result, error) { return nil, nil }

func TestText(t *testing.T) {
	var b bytes.Buffer
	if err := Text(&b, testKind{}); err != nil {
		t.Fatal(err)
	}
	want := `demo (version 2)
    Demonstrates.
    input mode (string, default "fast", one of "fast", "slow"): How.
    input input (artifact, required): What.
    block limits (block, optional): Bounds.
    input limits.n (number, optional, whole number; a value >= 1): Count.
    rule: mode fits the input.
    output table (application/vnd.apache.parquet): a | table
`
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

func TestMarkdown(t *testing.T) {
	md := string(Markdown(testKind{}))
	for _, want := range []string{
		"# Stage kind `demo`",
		"| `mode` | string | no | `\"fast\"` | one of \"fast\", \"slow\" | How. |",
		"| `limits.n` | number | no |  | whole number; a value >= 1 | Count. |",
		"- mode fits the input.",
		"| `table` | application/vnd.apache.parquet | a \\| table |",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
}
