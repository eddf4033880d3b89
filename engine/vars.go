package engine

import (
	"fmt"
	"os"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/tr119/tr119/schema"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// EnvVarPrefix prefixes environment variables that set pipeline
// variables: TR119_VAR_price=1.2 sets var.price.
const EnvVarPrefix = "TR119_VAR_"

// varDecl is one variable block.
type varDecl struct {
	name        string
	typ         cty.Type // cty.DynamicPseudoType when no type is given
	typed       bool     // a type argument was written
	defaults    *typeexpr.Defaults
	def         hcl.Expression // nil: the variable is required
	description string
	validations []*validation
	rng         hcl.Range
}

// validation is one validation block of a variable.
type validation struct {
	condition, message hcl.Expression
	rng                hcl.Range
}

var variableSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "type"}, {Name: "default"}, {Name: "description"}},
	Blocks:     []hcl.BlockHeaderSchema{{Type: "validation"}},
}

var validationSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "condition", Required: true}, {Name: "error_message", Required: true}},
}

// decodeVariable records one variable block.
func (p *Pipeline) decodeVariable(b *hclsyntax.Block) hcl.Diagnostics {
	name := b.Labels[0]
	if prev, dup := p.vars[name]; dup {
		return hcl.Diagnostics{dupDiag("var."+name, b.DefRange(), prev.rng)}
	}
	content, diags := b.Body.Content(variableSchema)
	hintSchemaDiags(diags, []string{"default", "description", "type"}, []string{"validation"}, "a variable block")
	v := &varDecl{name: name, typ: cty.DynamicPseudoType, rng: b.DefRange()}
	if a, ok := content.Attributes["type"]; ok {
		ty, defs, d := typeexpr.TypeConstraintWithDefaults(a.Expr)
		for _, x := range d {
			x.Detail += " Use a type such as string, number, bool, list(string) or object({ a = number })."
		}
		diags = append(diags, d...)
		if !d.HasErrors() {
			v.typ, v.defaults, v.typed = ty, defs, true
		}
	}
	if a, ok := content.Attributes["default"]; ok {
		v.def = a.Expr
	}
	if a, ok := content.Attributes["description"]; ok {
		val, d := a.Expr.Value(nil)
		diags = append(diags, d...)
		if !d.HasErrors() && val.Type() == cty.String && val.IsKnown() && !val.IsNull() {
			v.description = val.AsString()
		} else if !d.HasErrors() {
			diags = append(diags, errDiag(a.Expr.Range(), "Invalid description", "A description must be a literal string."))
		}
	}
	for _, vb := range content.Blocks {
		vc, d := vb.Body.Content(validationSchema)
		hintSchemaDiags(d, []string{"condition", "error_message"}, nil, "a validation block")
		diags = append(diags, d...)
		c, okc := vc.Attributes["condition"]
		m, okm := vc.Attributes["error_message"]
		if okc && okm {
			v.validations = append(v.validations, &validation{condition: c.Expr, message: m.Expr, rng: vb.DefRange})
		}
	}
	p.vars[name] = v
	return diags
}

// resolveVariables sets p.Variables with Terraform's precedence: default
// < TR119_VAR_ environment < -var-file and -var in command-line order.
// Then it runs every validation block.
func (p *Pipeline) resolveVariables(opts LoadOptions) hcl.Diagnostics {
	var diags hcl.Diagnostics
	constCtx := &hcl.EvalContext{Functions: p.functions(newFileTracker(p.Workspace))}
	set := map[string]cty.Value{}
	for name, v := range p.vars {
		if v.def == nil {
			continue
		}
		val, d := v.def.Value(constCtx)
		for _, x := range d {
			x.Detail += " A default must be a constant value: no var, local or stage references."
		}
		diags = append(diags, d...)
		if d.HasErrors() {
			set[name] = cty.UnknownVal(v.typ) // reported; not also "required"
			continue
		}
		val, d = p.convertVar(v, val, v.def.Range(), "default")
		diags = append(diags, d...)
		set[name] = val
	}
	for _, kv := range opts.Environ {
		k, raw, ok := strings.Cut(kv, "=")
		name, isVar := strings.CutPrefix(k, EnvVarPrefix)
		if !ok || !isVar {
			continue
		}
		// As Terraform does, an environment value for an undeclared
		// variable is ignored: the environment is shared by many workspaces.
		if v, declared := p.vars[name]; declared {
			val, d := p.parseRawVar(v, raw, "environment variable "+k)
			diags = append(diags, d...)
			set[name] = val
		}
	}
	for _, a := range opts.Vars {
		if a.File != "" {
			diags = append(diags, p.readVarFile(a.File, constCtx, set)...)
			continue
		}
		v, declared := p.vars[a.Name]
		if !declared {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Undeclared variable",
				Detail: fmt.Sprintf("-var %s=...: there is no variable %q. %s", a.Name, a.Name,
					didYouMean(a.Name, p.varNames(), "Declare it with a variable block first."))})
			continue
		}
		val, d := p.parseRawVar(v, a.Value, "-var "+a.Name)
		diags = append(diags, d...)
		set[a.Name] = val
	}
	for _, name := range p.varNames() {
		v := p.vars[name]
		val, ok := set[name]
		if !ok {
			diags = append(diags, errDiag(v.rng, "No value for required variable",
				fmt.Sprintf("var.%s has no default. Set it with -var %s=VALUE, a -var-file, or %s%s.", name, name, EnvVarPrefix, name)))
			val = cty.UnknownVal(v.typ)
		}
		p.Variables[name] = val
		if ok {
			diags = append(diags, p.validate(v, val)...)
		}
	}
	return diags
}

// readVarFile applies one -var-file's `name = value` lines to set.
func (p *Pipeline) readVarFile(path string, ctx *hcl.EvalContext, set map[string]cty.Value) hcl.Diagnostics {
	src, err := os.ReadFile(path)
	if err != nil {
		return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot read variables file",
			Detail: fmt.Sprintf("%s. Check the -var-file path (relative to the current directory).", err)}}
	}
	if d := checkNesting(src, path, hcl.InitialPos); d != nil {
		return hcl.Diagnostics{d}
	}
	f, diags := hclsyntax.ParseConfig(src, path, hcl.InitialPos)
	if f == nil {
		return diags
	}
	p.parsed[path] = f
	attrs, d := f.Body.JustAttributes()
	for _, x := range d {
		x.Detail += " A variables file holds only name = value lines."
	}
	diags = append(diags, d...)
	for _, a := range sortedHCLAttrs(attrs) {
		v, declared := p.vars[a.Name]
		if !declared {
			// A warning, as in Terraform: one file may serve several workspaces.
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: "Value for undeclared variable",
				Detail: fmt.Sprintf("There is no variable %q; the value is ignored. %s", a.Name,
					didYouMean(a.Name, p.varNames(), "Declare it with a variable block.")),
				Subject: a.NameRange.Ptr()})
			continue
		}
		val, d := a.Expr.Value(ctx)
		diags = append(diags, d...)
		if d.HasErrors() {
			continue
		}
		val, d = p.convertVar(v, val, a.Expr.Range(), "value")
		diags = append(diags, d...)
		set[a.Name] = val
	}
	return diags
}

// parseRawVar turns the text of a -var or environment value into a value
// of v's type: taken literally for an untyped or primitive variable,
// parsed as an HCL expression otherwise, as Terraform does.
func (p *Pipeline) parseRawVar(v *varDecl, raw, source string) (cty.Value, hcl.Diagnostics) {
	rng := hcl.Range{Filename: "<value for var." + v.name + ">", Start: hcl.InitialPos, End: hcl.InitialPos}
	if !v.typed || v.typ.IsPrimitiveType() {
		return p.convertVar(v, cty.StringVal(raw), rng, source)
	}
	if d := checkNesting([]byte(raw), rng.Filename, hcl.InitialPos); d != nil {
		d.Detail = fmt.Sprintf("The %s is nested too deep: %s", source, d.Detail)
		return cty.UnknownVal(v.typ), hcl.Diagnostics{d}
	}
	expr, diags := hclsyntax.ParseExpression([]byte(raw), rng.Filename, hcl.InitialPos)
	if diags.HasErrors() {
		for _, d := range diags {
			d.Detail += fmt.Sprintf(" The %s must be an HCL value of type %s.", source, typeexpr.TypeString(v.typ))
		}
		return cty.UnknownVal(v.typ), diags
	}
	val, diags := expr.Value(&hcl.EvalContext{Functions: p.functions(newFileTracker(p.Workspace))})
	if diags.HasErrors() {
		return cty.UnknownVal(v.typ), diags
	}
	return p.convertVar(v, val, rng, source)
}

// convertVar applies v's optional-attribute defaults and converts val to
// v's type.
func (p *Pipeline) convertVar(v *varDecl, val cty.Value, rng hcl.Range, source string) (cty.Value, hcl.Diagnostics) {
	if v.defaults != nil {
		val = v.defaults.Apply(val)
	}
	out, err := convert.Convert(val, v.typ)
	if err != nil {
		return cty.UnknownVal(v.typ), hcl.Diagnostics{errDiag(rng, "Invalid value for variable",
			fmt.Sprintf("The %s of var.%s is unsuitable: %s. Give a value of type %s.", source, v.name, convertError(val, v.typ, err), typeexpr.TypeString(v.typ)))}
	}
	if path, num, bad := nonFinite(out); bad {
		where := "var." + v.name
		if len(path) > 0 {
			where += schema.FormatPath(path)
			if _, ok := path[0].(cty.GetAttrStep); ok {
				where = "var." + v.name + "." + schema.FormatPath(path)
			}
		}
		return cty.UnknownVal(v.typ), hcl.Diagnostics{errDiag(rng, "Invalid value for variable",
			fmt.Sprintf("The %s of var.%s is unsuitable: %s. Give a finite number.", source, v.name, notFinite(where, num)))}
	}
	return out, nil
}

// convertError says why val cannot be of type want, echoing a short
// string value: "`abc` is not a number".
func convertError(val cty.Value, want cty.Type, err error) string {
	if val.Type() != cty.String || !val.IsKnown() || val.IsNull() || !want.IsPrimitiveType() {
		return err.Error()
	}
	s := val.AsString()
	if len(s) > 60 {
		s = s[:57] + "..."
	}
	switch want {
	case cty.Number:
		return fmt.Sprintf("`%s` is not a number", s)
	case cty.Bool:
		return fmt.Sprintf("`%s` is not a bool (true or false)", s)
	}
	return err.Error()
}

// validate runs v's validation blocks against val, with var.NAME in scope.
func (p *Pipeline) validate(v *varDecl, val cty.Value) hcl.Diagnostics {
	var diags hcl.Diagnostics
	ctx := &hcl.EvalContext{
		Variables: map[string]cty.Value{"var": cty.ObjectVal(map[string]cty.Value{v.name: val})},
		Functions: p.functions(newFileTracker(p.Workspace)),
	}
	for _, rule := range v.validations {
		ok, d := rule.condition.Value(ctx)
		diags = append(diags, d...)
		if d.HasErrors() || !ok.IsKnown() {
			continue
		}
		ok, err := convert.Convert(ok, cty.Bool)
		if err != nil || ok.IsNull() {
			diags = append(diags, errDiag(rule.condition.Range(), "Invalid validation condition",
				fmt.Sprintf("The condition must be true or false. Write a boolean expression over var.%s.", v.name)))
			continue
		}
		if ok.True() {
			continue
		}
		msg, d := rule.message.Value(ctx)
		diags = append(diags, d...)
		text := "the validation condition failed"
		if !d.HasErrors() && msg.Type() == cty.String && msg.IsKnown() && !msg.IsNull() {
			text = msg.AsString()
		}
		diags = append(diags, errDiag(rule.condition.Range(), "Invalid value for variable",
			fmt.Sprintf("%s (var.%s = %s). Set a value that satisfies this condition.", text, v.name, showValue(val))))
	}
	return diags
}

// varNames returns the declared variable names, sorted.
func (p *Pipeline) varNames() []string { return sortedKeys(p.vars) }
