package engine

import (
	"fmt"
	"sort"
	"strings"
)

// graphColors are the fill colours of the plan actions; a stage with no
// action in the map is drawn unfilled.
var graphColors = map[string]string{
	"run":         "#fde68a", // amber: nothing cached yet
	"rerun":       "#fdba74", // orange: cached but stale
	"cached":      "#bbf7d0", // green: nothing to do
	"unavailable": "#e5e7eb", // grey: cannot run on this machine
}

// Graph renders the stage DAG as "dot" (Graphviz) or "mermaid" text, an
// edge pointing from a stage to each stage that uses it, every stage
// coloured by its plan action (actions maps a stage address to "run",
// "rerun", "cached" or "unavailable"; it may be nil). Stages and edges are
// listed in address order, so equal inputs give equal text.
func Graph(p *Pipeline, actions map[string]string, format string) (string, error) {
	if p == nil {
		return "", fmt.Errorf("graph: no pipeline")
	}
	for _, addr := range sortedKeys(actions) {
		if _, ok := graphColors[actions[addr]]; !ok {
			return "", fmt.Errorf("graph: stage %s: unknown action %q (want run, rerun, cached or unavailable)", addr, actions[addr])
		}
	}
	stages := append([]*Stage(nil), p.Stages...)
	sort.Slice(stages, func(i, j int) bool { return stages[i].Addr < stages[j].Addr })
	switch format {
	case "dot", "":
		return graphDOT(stages, actions), nil
	case "mermaid":
		return graphMermaid(stages, actions), nil
	}
	return "", fmt.Errorf("graph: unknown format %q (want dot or mermaid)", format)
}

// graphDOT writes Graphviz text.
func graphDOT(stages []*Stage, actions map[string]string) string {
	var b strings.Builder
	b.WriteString("digraph tr119 {\n\trankdir=LR;\n\tnode [shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\", fontname=\"Helvetica\"];\n")
	for _, s := range stages {
		label := s.Addr
		attrs := ""
		if a, ok := actions[s.Addr]; ok {
			label += `\n` + a
			attrs = fmt.Sprintf(", fillcolor=%q", graphColors[a])
		}
		fmt.Fprintf(&b, "\t%q [label=\"%s\"%s];\n", s.Addr, strings.ReplaceAll(label, `"`, `\"`), attrs)
	}
	for _, s := range stages {
		for _, up := range s.DependsOn {
			fmt.Fprintf(&b, "\t%q -> %q;\n", up, s.Addr)
		}
	}
	b.WriteString("}\n")
	return b.String()
}

// graphMermaid writes a Mermaid flowchart. Node ids are positional
// (s0, s1, ...) because Mermaid ids may not hold dots.
func graphMermaid(stages []*Stage, actions map[string]string) string {
	id := map[string]string{}
	for i, s := range stages {
		id[s.Addr] = fmt.Sprintf("s%d", i)
	}
	var b strings.Builder
	b.WriteString("flowchart LR\n")
	for _, s := range stages {
		// Mermaid labels take quotes only as the #quot; entity.
		label := strings.ReplaceAll(s.Addr, `"`, "#quot;")
		a, ok := actions[s.Addr]
		if !ok {
			fmt.Fprintf(&b, "\t%s[\"%s\"]\n", id[s.Addr], label)
			continue
		}
		fmt.Fprintf(&b, "\t%s[\"%s<br/>%s\"]:::%s\n", id[s.Addr], label, a, a)
	}
	for _, s := range stages {
		for _, up := range s.DependsOn {
			if id[up] != "" {
				fmt.Fprintf(&b, "\t%s --> %s\n", id[up], id[s.Addr])
			}
		}
	}
	for _, a := range sortedKeys(graphColors) {
		fmt.Fprintf(&b, "\tclassDef %s fill:%s,stroke:#374151\n", a, graphColors[a])
	}
	return b.String()
}
