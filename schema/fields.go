package schema

import (
	"fmt"
	"strings"

	"github.com/zclconf/go-cty/cty"
)

// Field documents one attribute or block of a body, flattened: nested
// blocks' attributes follow their block with a dotted path.
type Field struct {
	// Path is the attribute's place, e.g. "request.generation_mode" or
	// "pricing.tier[NAME].usd_per_hour".
	Path string
	// Block is true for a block's own entry.
	Block bool
	// Type names the type ("number", "list of string", "block", ...).
	Type string
	// Required says the attribute or block must be written.
	Required bool
	// Default is the default as HCL source, "" when none.
	Default string
	// Constraints lists the checks in words ("one of ...", "1 to 100").
	Constraints string
	// Doc is the one-line description.
	Doc string
}

// Fields lists the body's attributes and blocks for documentation.
func (b *Body) Fields() []Field {
	var out []Field
	b.fields("", &out)
	return out
}

// RuleDocs lists the cross-field rules of the body and its blocks.
func (b *Body) RuleDocs() []string {
	if b == nil {
		return nil
	}
	var out []string
	for _, r := range b.Rules {
		out = append(out, r.Doc)
	}
	for _, x := range b.Blocks {
		out = append(out, x.Body.RuleDocs()...)
	}
	return out
}

func (b *Body) fields(prefix string, out *[]Field) {
	if b == nil {
		return
	}
	for _, a := range b.Attrs {
		f := Field{Path: prefix + a.Name, Type: a.typeName(), Required: a.Required, Doc: a.Doc,
			Constraints: a.constraints()}
		if a.Default != cty.NilVal {
			f.Default = FormatValue(a.Default)
		}
		*out = append(*out, f)
	}
	for _, x := range b.Blocks {
		path := prefix + x.Name
		f := Field{Path: path, Block: true, Type: "block", Required: x.Required, Doc: x.Doc}
		switch x.Nesting {
		case List:
			f.Type = "blocks"
			path += "[N]"
		case Map:
			f.Type = fmt.Sprintf("blocks %s %q", x.Name, strings.ToUpper(x.label()))
			path += "[" + strings.ToUpper(x.label()) + "]"
		}
		var c []string
		if x.MinItems > 0 {
			c = append(c, fmt.Sprintf("at least %d", x.MinItems))
		}
		if x.MaxItems > 0 {
			c = append(c, fmt.Sprintf("at most %d", x.MaxItems))
		}
		f.Constraints = strings.Join(c, "; ")
		*out = append(*out, f)
		x.Body.fields(path+".", out)
	}
}

func (a *Attr) typeName() string {
	if a.TypeName != "" {
		return a.TypeName
	}
	if a.Type == cty.DynamicPseudoType {
		return "any"
	}
	return a.Type.FriendlyNameForConstraint()
}

func (a *Attr) constraints() string {
	var c []string
	if len(a.OneOf) > 0 {
		c = append(c, "one of "+QuoteList(a.OneOf))
	}
	if a.Integer {
		c = append(c, "whole number")
	}
	if a.Min != nil || a.Max != nil {
		c = append(c, rangeText(a.Min, a.Max))
	}
	if a.MaxLen > 0 {
		c = append(c, fmt.Sprintf("at most %d characters", a.MaxLen))
	}
	if a.MinItems > 0 {
		c = append(c, fmt.Sprintf("at least %d element(s)", a.MinItems))
	}
	if a.Unique {
		c = append(c, "no duplicates")
	}
	if a.Display {
		c = append(c, "display only")
	}
	return strings.Join(c, "; ")
}
