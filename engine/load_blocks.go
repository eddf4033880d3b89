package engine

import (
	"fmt"
	"sort"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/tr119/tr119/schema"
)

// localDecl is one attribute of a locals block.
type localDecl struct {
	name string
	expr hcl.Expression
	rng  hcl.Range
}

// dataDecl is one data block such as scenario "NAME" {}.
type dataDecl struct {
	typ, name string
	body      hcl.Body
	spec      hcldec.Spec
	schema    *schema.Body
	rng       hcl.Range
}

// builtinBlocks are the top-level block types the engine itself owns.
var builtinBlocks = []string{"locals", "settings", "stage", "variable"}

// decodeFiles parses every file in name order and sorts its top-level
// blocks into declarations.
func (p *Pipeline) decodeFiles() hcl.Diagnostics {
	parser := hclparse.NewParser()
	names := make([]string, 0, len(p.Files))
	for n := range p.Files {
		names = append(names, n)
	}
	sort.Strings(names)
	var diags hcl.Diagnostics
	for _, n := range names {
		f, d := parser.ParseHCL(p.Files[n], n)
		diags = append(diags, d...)
		if f == nil {
			continue
		}
		p.parsed[n] = f
		body, ok := f.Body.(*hclsyntax.Body)
		if !ok {
			continue
		}
		diags = append(diags, p.decodeBody(body)...)
	}
	return diags
}

// decodeBody handles one file's top level.
func (p *Pipeline) decodeBody(body *hclsyntax.Body) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, a := range sortedAttrs(body.Attributes) {
		diags = append(diags, errDiag(a.NameRange, "Unexpected top-level argument",
			fmt.Sprintf("Arguments are not allowed at the top level. Move %q into a locals block.", a.Name)))
	}
	for _, b := range body.Blocks {
		diags = append(diags, p.decodeBlock(b)...)
	}
	return diags
}

// decodeBlock dispatches one top-level block by type.
func (p *Pipeline) decodeBlock(b *hclsyntax.Block) hcl.Diagnostics {
	switch b.Type {
	case "variable":
		if d := checkLabels(b, "variable", "NAME"); d != nil {
			return hcl.Diagnostics{d}
		}
		return p.decodeVariable(b)
	case "locals":
		if d := checkLabels(b, "locals"); d != nil {
			return hcl.Diagnostics{d}
		}
		return p.decodeLocals(b)
	case "settings":
		if d := checkLabels(b, "settings"); d != nil {
			return hcl.Diagnostics{d}
		}
		return p.decodeSettings(b)
	case "stage":
		if d := checkLabels(b, "stage", "KIND", "NAME"); d != nil {
			return hcl.Diagnostics{d}
		}
		return p.decodeStage(b)
	}
	bk, ok := p.reg.Block(b.Type)
	if !ok {
		valid := append(append([]string(nil), builtinBlocks...), p.reg.BlockNames()...)
		return hcl.Diagnostics{errDiag(b.TypeRange, "Unsupported block type",
			fmt.Sprintf("Blocks of type %q are not expected here. %s", b.Type,
				didYouMean(b.Type, valid, "")))}
	}
	if d := checkLabels(b, b.Type, "NAME"); d != nil {
		return hcl.Diagnostics{d}
	}
	name := b.Labels[0]
	if p.data[b.Type] == nil {
		p.data[b.Type] = map[string]*dataDecl{}
	}
	if prev, dup := p.data[b.Type][name]; dup {
		return hcl.Diagnostics{dupDiag(b.Type+"."+name, b.DefRange(), prev.rng)}
	}
	p.data[b.Type][name] = &dataDecl{typ: b.Type, name: name, body: b.Body, spec: bk.Schema().Spec(), schema: bk.Schema(), rng: b.DefRange()}
	return nil
}

// checkLabels checks that b has exactly the named labels and that each is
// a valid identifier, so that references to it can be written.
func checkLabels(b *hclsyntax.Block, typ string, labels ...string) *hcl.Diagnostic {
	if len(b.Labels) != len(labels) {
		want := typ
		for _, l := range labels {
			want += fmt.Sprintf(" %q", l)
		}
		return errDiag(b.DefRange(), "Wrong number of block labels",
			fmt.Sprintf("A %s block takes %d label(s), got %d. Write it as: %s { ... }.", typ, len(labels), len(b.Labels), want))
	}
	for i, l := range b.Labels {
		if !hclsyntax.ValidIdentifier(l) {
			return errDiag(b.LabelRanges[i], "Invalid name",
				fmt.Sprintf("%q is not a valid %s %s. Use letters, digits, underscores and dashes, starting with a letter.", l, typ, labels[i]))
		}
	}
	return nil
}

// dupDiag reports a second declaration of addr.
func dupDiag(addr string, rng, prev hcl.Range) *hcl.Diagnostic {
	return errDiag(rng, "Duplicate declaration",
		fmt.Sprintf("%s is already declared at %s. Rename or remove one of them.", addr, prev.String()))
}

// decodeLocals adds one locals block's attributes.
func (p *Pipeline) decodeLocals(b *hclsyntax.Block) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, nb := range b.Body.Blocks {
		diags = append(diags, errDiag(nb.TypeRange, "Unexpected block in locals",
			fmt.Sprintf("A locals block holds only name = value lines. Write %q as an attribute: %s = { ... }.", nb.Type, nb.Type)))
	}
	for _, a := range sortedAttrs(b.Body.Attributes) {
		if prev, dup := p.locals[a.Name]; dup {
			diags = append(diags, dupDiag("local."+a.Name, a.NameRange, prev.rng))
			continue
		}
		p.locals[a.Name] = &localDecl{name: a.Name, expr: a.Expr, rng: a.NameRange}
	}
	return diags
}

// decodeSettings collects a settings block's attributes; they are
// evaluated once variables and locals are known.
func (p *Pipeline) decodeSettings(b *hclsyntax.Block) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, nb := range b.Body.Blocks {
		diags = append(diags, errDiag(nb.TypeRange, "Unexpected block in settings",
			"A settings block holds only name = \"value\" lines. Remove the block."))
	}
	for _, a := range sortedAttrs(b.Body.Attributes) {
		for _, prev := range p.settings {
			if prev.Name == a.Name {
				diags = append(diags, dupDiag("settings."+a.Name, a.NameRange, prev.NameRange))
			}
		}
		p.settings = append(p.settings, a.AsHCLAttribute())
	}
	return diags
}

// sortedAttrs returns a body's attributes in source order.
func sortedAttrs(attrs hclsyntax.Attributes) []*hclsyntax.Attribute {
	out := make([]*hclsyntax.Attribute, 0, len(attrs))
	for _, a := range attrs {
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].SrcRange.Start.Byte < out[j].SrcRange.Start.Byte
	})
	return out
}
