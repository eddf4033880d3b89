package engine

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// stepName is the name a traversal step selects: .name or ["name"].
func stepName(tr hcl.Traversal, i int) (string, bool) {
	if i >= len(tr) {
		return "", false
	}
	switch s := tr[i].(type) {
	case hcl.TraverseAttr:
		return s.Name, true
	case hcl.TraverseIndex:
		if s.Key.Type() == cty.String && s.Key.IsKnown() && !s.Key.IsNull() {
			return s.Key.AsString(), true
		}
	}
	return "", false
}

// refAddr checks one reference and returns the cfgNode it names.
func (p *Pipeline) refAddr(tr hcl.Traversal) (string, *hcl.Diagnostic) {
	rng := tr.SourceRange()
	root := tr.RootName()
	switch root {
	case "var":
		return p.namedRef(tr, "var", "variable", sortedKeys(p.vars), `variable "%s" {}`)
	case "local":
		return p.namedRef(tr, "local", "local value", sortedKeys(p.locals), `locals { %s = ... }`)
	case "stage":
		return p.stageRef(tr, false)
	}
	if _, ok := p.reg.Block(root); ok {
		return p.namedRef(tr, root, root+" block", sortedKeys(p.data[root]), root+` "%s" {}`)
	}
	roots := append([]string{"var", "local", "stage"}, p.reg.BlockNames()...)
	return "", errDiag(rng, "Unknown reference",
		fmt.Sprintf("There is nothing called %q. %s", root,
			didYouMean(root, roots, "")+" References start with var., local., stage. or a data block type."))
}

// namedRef checks root.NAME against the declared names.
func (p *Pipeline) namedRef(tr hcl.Traversal, root, what string, names []string, declare string) (string, *hcl.Diagnostic) {
	name, ok := stepName(tr, 1)
	if !ok {
		return "", errDiag(tr.SourceRange(), "Invalid reference",
			fmt.Sprintf("%s must be followed by a name, as in %s.example.", root, root))
	}
	for _, n := range names {
		if n == name {
			return root + "." + name, nil
		}
	}
	return "", errDiag(tr.SourceRange(), "Reference to undeclared "+what,
		fmt.Sprintf("There is no %s %q. %s", what, name,
			didYouMean(name, names, "Declare it: "+fmt.Sprintf(declare, name)+".")))
}

// stageRef checks stage.KIND.NAME.OUTPUT (or, with bare, stage.KIND.NAME
// as depends_on takes it) and returns the stage address.
func (p *Pipeline) stageRef(tr hcl.Traversal, bare bool) (string, *hcl.Diagnostic) {
	rng := tr.SourceRange()
	kind, ok1 := stepName(tr, 1)
	name, ok2 := stepName(tr, 2)
	if !ok1 || !ok2 {
		return "", errDiag(rng, "Invalid stage reference",
			"A stage reference has the form stage.KIND.NAME.OUTPUT, as in stage.import.runs.table.")
	}
	addr := "stage." + kind + "." + name
	s, ok := p.stages[addr]
	if !ok {
		return "", errDiag(rng, "Reference to undeclared stage",
			fmt.Sprintf("There is no stage %s. %s", addr,
				didYouMean(addr, sortedKeys(p.stages), fmt.Sprintf("Declare it: stage %q %q {}.", kind, name))))
	}
	var outs []string
	for _, o := range s.Kind.Info().Outputs {
		outs = append(outs, o.Name)
	}
	out, ok := stepName(tr, 3)
	if !ok {
		if bare {
			return addr, nil
		}
		hint := fmt.Sprintf("Refer to one of its outputs: %s.", listNames(outs))
		if len(outs) > 0 {
			hint = fmt.Sprintf("Refer to one of its outputs, e.g. %s.%s (outputs: %s).", addr, outs[0], listNames(outs))
		}
		return "", errDiag(rng, "Reference to a whole stage",
			fmt.Sprintf("%s is a stage, not an output. %s", addr, hint))
	}
	for _, o := range outs {
		if o == out {
			return addr, nil
		}
	}
	return "", errDiag(rng, "Unsupported stage output",
		fmt.Sprintf("Stage kind %q has no output %q. %s", kind, out,
			didYouMean(out, outs, "This kind has no outputs.")))
}

// dependsOnAddr checks one depends_on entry.
func (p *Pipeline) dependsOnAddr(tr hcl.Traversal) (string, *hcl.Diagnostic) {
	if tr.RootName() != "stage" {
		return "", errDiag(tr.SourceRange(), "Invalid depends_on entry",
			"depends_on lists stages only, as in depends_on = [stage.import.runs].")
	}
	return p.stageRef(tr, true)
}
