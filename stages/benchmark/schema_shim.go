package benchmark

import (
	"sort"

	"github.com/hashicorp/hcl/v2/hcldec"

	"github.com/tr119/tr119/schema"
)

// specSchema wraps the benchmark's hcldec spec (attributes and attributes
// with literal defaults) as a schema.Body that decodes to the same value,
// so its action keys are unchanged. It declares types only: the
// benchmark's own checks stay in parseConfig until the kind declares its
// schema directly.
func specSchema(spec hcldec.Spec) *schema.Body {
	s := spec.(hcldec.ObjectSpec)
	names := make([]string, 0, len(s))
	for n := range s {
		names = append(names, n)
	}
	sort.Strings(names)
	b := &schema.Body{}
	for _, n := range names {
		switch x := s[n].(type) {
		case *hcldec.AttrSpec:
			b.Attrs = append(b.Attrs, &schema.Attr{Name: x.Name, Type: x.Type, Required: x.Required})
		case *hcldec.DefaultSpec:
			p := x.Primary.(*hcldec.AttrSpec)
			d := x.Default.(*hcldec.LiteralSpec)
			b.Attrs = append(b.Attrs, &schema.Attr{Name: p.Name, Type: p.Type, Default: d.Value, SpecDefault: true})
		default:
			panic("benchmark: specSchema: unsupported spec for " + n)
		}
	}
	return b
}
