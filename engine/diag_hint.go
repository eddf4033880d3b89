package engine

import (
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// polishDiags adds fix hints to HCL's evaluation diagnostics that lack
// one.
func polishDiags(diags hcl.Diagnostics) {
	for _, d := range diags {
		if strings.Contains(d.Detail, "Did you mean") {
			continue
		}
		switch {
		case d.Summary == "Unsupported attribute":
			hintAttribute(d)
		case d.Summary == "Invalid operand":
			d.Detail += " Convert the value (tonumber, tostring) or fix the reference."
		case d.Summary == "Call to unknown function":
			d.Detail += " The functions are the cty standard library under Terraform's names, plus file and filesha256."
		case strings.Contains(d.Detail, "but have object"):
			d.Detail += " A stage output is an artifact object: use one of its attributes (path, sha256, size, media_type) or pass it where an artifact is expected."
		}
	}
}

// hintAttribute names the attributes that do exist where a reference
// such as scenario.short.promt asks for a missing one.
func hintAttribute(d *hcl.Diagnostic) {
	expr, ok := d.Expression.(*hclsyntax.ScopeTraversalExpr)
	if !ok || d.EvalContext == nil {
		return
	}
	tr := expr.Traversal
	for i := 1; i < len(tr); i++ {
		step, ok := tr[i].(hcl.TraverseAttr)
		if !ok {
			continue
		}
		v, diags := tr[:i].TraverseAbs(d.EvalContext)
		if diags.HasErrors() {
			return
		}
		ty := v.Type()
		if !ty.IsObjectType() || ty.HasAttribute(step.Name) {
			continue
		}
		d.Detail += " " + didYouMean(step.Name, sortedKeys(ty.AttributeTypes()), "The object has no attributes.")
		return
	}
}
