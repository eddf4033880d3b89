package mutation

import (
	"crypto/sha256"
	"fmt"
	"math/big"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// Mutant is a pipeline file with one mistake in it.
type Mutant struct {
	// Name says where and what, e.g. `pipeline.hcl:163:32 utilisation: 0.5 -> 7`.
	Name string
	// Src is the mutated file.
	Src []byte
}

// Options choose what is mutated.
type Options struct {
	// SkipVariables are variables whose default is not mutated (those
	// the campaign sets with -var).
	SkipVariables map[string]bool
}

// edit replaces src[start:end] with text.
type edit struct {
	start, end int
	text, what string
	pos        hcl.Pos
}

// Mutants returns the file's mutants, each a single edit, without
// duplicates, in source order.
func Mutants(filename string, src []byte, o Options) ([]Mutant, error) {
	f, diags := hclsyntax.ParseConfig(src, filename, hcl.InitialPos)
	if diags.HasErrors() {
		return nil, diags
	}
	body, ok := f.Body.(*hclsyntax.Body)
	if !ok {
		return nil, fmt.Errorf("%s: not native HCL syntax", filename)
	}
	var edits []edit
	for _, b := range body.Blocks {
		switch b.Type {
		case "variable":
			if len(b.Labels) == 1 && o.SkipVariables[b.Labels[0]] {
				continue
			}
			if a := b.Body.Attributes["default"]; a != nil {
				edits = append(edits, exprEdits(src, "var."+b.Labels[0], a.Expr)...)
			}
		case "locals":
			for _, a := range sorted(b.Body.Attributes) {
				edits = append(edits, exprEdits(src, "local."+a.Name, a.Expr)...)
			}
		case "settings":
		default:
			edits = append(edits, bodyEdits(src, blockName(b), b.Body)...)
		}
	}
	seen := map[[32]byte]bool{sha256.Sum256(src): true}
	var out []Mutant
	for _, e := range edits {
		m := make([]byte, 0, len(src)+len(e.text))
		m = append(append(append(m, src[:e.start]...), e.text...), src[e.end:]...)
		h := sha256.Sum256(m)
		if seen[h] {
			continue
		}
		seen[h] = true
		out = append(out, Mutant{Name: fmt.Sprintf("%s:%d:%d %s", filename, e.pos.Line, e.pos.Column, e.what), Src: m})
	}
	return out, nil
}

func blockName(b *hclsyntax.Block) string {
	return strings.Join(append([]string{b.Type}, b.Labels...), ".")
}

func sorted(attrs hclsyntax.Attributes) []*hclsyntax.Attribute {
	out := make([]*hclsyntax.Attribute, 0, len(attrs))
	for _, a := range attrs {
		out = append(out, a)
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].SrcRange.Start.Byte < out[j-1].SrcRange.Start.Byte; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// bodyEdits mutates a block body: each attribute's value, each attribute
// removed, each nested block removed or mutated.
func bodyEdits(src []byte, where string, body *hclsyntax.Body) []edit {
	var out []edit
	for _, a := range sorted(body.Attributes) {
		name := where + "." + a.Name
		out = append(out, exprEdits(src, name, a.Expr)...)
		out = append(out, edit{start: a.SrcRange.Start.Byte, end: a.SrcRange.End.Byte, text: "",
			what: name + " removed", pos: a.SrcRange.Start})
	}
	for _, b := range body.Blocks {
		rng := b.Range()
		out = append(out, edit{start: rng.Start.Byte, end: rng.End.Byte, text: "",
			what: where + "." + blockName(b) + " block removed", pos: rng.Start})
		out = append(out, bodyEdits(src, where+"."+blockName(b), b.Body)...)
	}
	return out
}

// exprEdits mutates a literal expression and, for list and object
// literals, their elements.
func exprEdits(src []byte, name string, e hclsyntax.Expression) []edit {
	rng := e.Range()
	orig := string(src[rng.Start.Byte:rng.End.Byte])
	at := func(text, what string) edit {
		return edit{start: rng.Start.Byte, end: rng.End.Byte, text: text, what: fmt.Sprintf("%s: %s -> %s", name, short(orig), what), pos: rng.Start}
	}
	var out []edit
	switch x := e.(type) {
	case *hclsyntax.LiteralValueExpr:
		v := x.Val
		switch {
		case v.Type() == cty.Number:
			for _, n := range numbers(v.AsBigFloat()) {
				out = append(out, at(n, n))
			}
		case v.Type() == cty.Bool:
			out = append(out, at(fmt.Sprint(!v.True()), fmt.Sprint(!v.True())))
		}
	case *hclsyntax.TemplateExpr:
		if s, ok := literalString(x); ok {
			for _, m := range strs(s) {
				out = append(out, at(fmt.Sprintf("%q", m), short(fmt.Sprintf("%q", m))))
			}
		}
	case *hclsyntax.TupleConsExpr:
		out = append(out, at("[]", "[]"))
		if n := len(x.Exprs); n > 0 {
			first := x.Exprs[0].Range()
			firstText := string(src[first.Start.Byte:first.End.Byte])
			var rest []string
			for _, el := range x.Exprs[1:] {
				r := el.Range()
				rest = append(rest, string(src[r.Start.Byte:r.End.Byte]))
			}
			out = append(out, at("["+strings.Join(rest, ", ")+"]", "first element dropped"))
			out = append(out, at("["+strings.Join(append([]string{firstText, firstText}, rest...), ", ")+"]", "first element twice"))
		}
		for i, el := range x.Exprs {
			out = append(out, exprEdits(src, fmt.Sprintf("%s[%d]", name, i), el)...)
		}
	case *hclsyntax.ObjectConsExpr:
		for i, item := range x.Items {
			key := string(src[item.KeyExpr.Range().Start.Byte:item.KeyExpr.Range().End.Byte])
			var keep []string
			for j, other := range x.Items {
				if j != i {
					r := hcl.RangeBetween(other.KeyExpr.Range(), other.ValueExpr.Range())
					keep = append(keep, string(src[r.Start.Byte:r.End.Byte]))
				}
			}
			out = append(out, at("{ "+strings.Join(keep, ", ")+" }", "without "+key))
			out = append(out, exprEdits(src, name+"."+key, item.ValueExpr)...)
		}
	}
	return out
}

func literalString(t *hclsyntax.TemplateExpr) (string, bool) {
	if len(t.Parts) != 1 {
		return "", len(t.Parts) == 0
	}
	l, ok := t.Parts[0].(*hclsyntax.LiteralValueExpr)
	if !ok || l.Val.Type() != cty.String {
		return "", false
	}
	return l.Val.AsString(), true
}

// numbers are the mistakes tried for a number: zero, negative, fraction,
// overflow, ten times.
func numbers(f *big.Float) []string {
	out := []string{"0", "-1", "1e400"}
	if f.IsInt() {
		out = append(out, "2.5")
	} else {
		out = append(out, "7")
	}
	ten := new(big.Float).Mul(f, big.NewFloat(10))
	out = append(out, ten.Text('g', -1))
	orig := f.Text('g', -1)
	var keep []string
	for _, s := range out {
		if s != orig {
			keep = append(keep, s)
		}
	}
	return keep
}

// strs are the mistakes tried for a string: empty, a typo either way, a
// word from nowhere, 5000 characters.
func strs(s string) []string {
	out := []string{"", s + "x", "bogus", strings.Repeat("x", 5000)}
	if len(s) > 1 {
		out = append(out, s[:len(s)-1])
	}
	return out
}

func short(s string) string {
	if len(s) > 40 {
		return s[:20] + "..." + fmt.Sprintf("(%d chars)", len(s))
	}
	return s
}
