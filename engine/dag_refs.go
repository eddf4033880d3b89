package engine

import (
	"fmt"
	"slices"

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

// refAddr checks one reference and returns the cfgNodes it names: one,
// or every block of a data block type for a bare `scenario`, or none for
// each.* and count.* (meta is the iteration object allowed here, or "").
func (p *Pipeline) refAddr(tr hcl.Traversal, meta string) ([]string, *hcl.Diagnostic) {
	rng := tr.SourceRange()
	root := tr.RootName()
	one := func(a string, d *hcl.Diagnostic) ([]string, *hcl.Diagnostic) {
		if d != nil {
			return nil, d
		}
		return []string{a}, nil
	}
	switch root {
	case "var":
		return one(p.namedRef(tr, "var", "variable", sortedKeys(p.vars), `variable "%s" {}`))
	case "local":
		return one(p.namedRef(tr, "local", "local value", sortedKeys(p.locals), `locals { %s = ... }`))
	case "stage":
		return one(p.stageRef(tr, false))
	case "each", "count":
		return nil, metaRef(tr, meta)
	}
	if _, ok := p.reg.Block(root); ok {
		if len(tr) == 1 { // the whole collection: scenario is an object of every scenario block
			var out []string
			for _, n := range sortedKeys(p.data[root]) {
				out = append(out, root+"."+n)
			}
			return out, nil
		}
		return one(p.namedRef(tr, root, root+" block", sortedKeys(p.data[root]), root+` "%s" {}`))
	}
	roots := append([]string{"var", "local", "stage"}, p.reg.BlockNames()...)
	return nil, errDiag(rng, "Unknown reference",
		fmt.Sprintf("There is nothing called %q. %s", root,
			didYouMean(root, roots, "")+" References start with var., local., stage. or a data block type."))
}

// metaRef checks each.key, each.value and count.index where meta
// ("each", "count" or "") says which one the expression may use.
func metaRef(tr hcl.Traversal, meta string) *hcl.Diagnostic {
	root := tr.RootName()
	attrs := map[string][]string{"each": {"key", "value"}, "count": {"index"}}[root]
	name, ok := stepName(tr, 1)
	if meta != root {
		arg := "for_each"
		if root == "count" {
			arg = "count"
		}
		if !ok {
			name = attrs[0]
		}
		return errDiag(tr.SourceRange(), "Reference to "+root+" outside "+arg,
			fmt.Sprintf("%s.%s exists only in the body of a stage that sets %s. Add %s = ... to the stage, or refer to something else.",
				root, name, arg, arg))
	}
	if ok && slices.Contains(attrs, name) {
		return nil
	}
	return errDiag(tr.SourceRange(), "Invalid "+root+" reference",
		fmt.Sprintf("%s has only %s, as in %s.%s. %s", root, listNames(attrs), root, attrs[0], didYouMean(name, attrs, "")))
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

// stageRef checks stage.KIND.NAME, stage.KIND.NAME.OUTPUT, or with
// instances stage.KIND.NAME[KEY] and stage.KIND.NAME[KEY].OUTPUT, and
// returns the block address. A reference without an output is the whole
// stage: an object of all its outputs (of all its instances' outputs).
func (p *Pipeline) stageRef(tr hcl.Traversal, bare bool) (string, *hcl.Diagnostic) {
	rng := tr.SourceRange()
	kind, ok1 := stepName(tr, 1)
	name, ok2 := stepName(tr, 2)
	if !ok1 || !ok2 {
		return "", errDiag(rng, "Invalid stage reference",
			"A stage reference has the form stage.KIND.NAME.OUTPUT, as in stage.import.runs.table.")
	}
	addr := "stage." + kind + "." + name
	b, ok := p.blocks[addr]
	if !ok {
		return "", errDiag(rng, "Reference to undeclared stage",
			fmt.Sprintf("There is no stage %s. %s", addr,
				didYouMean(addr, sortedKeys(p.blocks), fmt.Sprintf("Declare it: stage %q %q {}.", kind, name))))
	}
	var outs []string
	for _, o := range b.kind.Info().Outputs {
		outs = append(outs, o.Name)
	}
	at := 3
	if b.forEach != nil || b.count != nil {
		if len(tr) > 3 {
			if _, isIndex := tr[3].(hcl.TraverseIndex); !isIndex && !bare {
				// stage.K.N.KEY is the same as stage.K.N["KEY"] for for_each.
				if b.count != nil {
					return "", errDiag(rng, "Invalid stage reference",
						fmt.Sprintf("%s has instances by count: refer to one as %s[0], or to all as %s[*].", addr, addr, addr))
				}
			}
		}
		at = 4
	}
	out, ok := stepName(tr, at)
	if !ok {
		return addr, nil
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
