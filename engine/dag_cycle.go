package engine

import (
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// findCycles reports each strongly connected component that holds a cycle
// once, naming one cycle through it that starts and ends at its
// lexically smallest address, so the message is the same on every run.
func (p *Pipeline) findCycles() hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, comp := range p.components() {
		start := comp[0]
		in := map[string]bool{}
		for _, a := range comp {
			in[a] = true
		}
		if len(comp) == 1 && !containsString(p.nodes[start].deps, start) {
			continue
		}
		path := p.shortestCycle(start, in)
		diags = append(diags, errDiag(p.nodes[start].rng, "Dependency cycle",
			"cycle: "+strings.Join(path, " -> ")+". Break it by removing one of these references."))
	}
	return diags
}

// shortestCycle finds the shortest path start -> ... -> start inside the
// component in, exploring dependencies in address order.
func (p *Pipeline) shortestCycle(start string, in map[string]bool) []string {
	prev := map[string]string{}
	queue := []string{start}
	for len(queue) > 0 {
		a := queue[0]
		queue = queue[1:]
		for _, d := range p.nodes[a].deps {
			if d == start {
				path := []string{start}
				for x := a; x != start; x = prev[x] {
					path = append(path, x)
				}
				// path is start, then the nodes back from a; reverse the tail.
				for i, j := 1, len(path)-1; i < j; i, j = i+1, j-1 {
					path[i], path[j] = path[j], path[i]
				}
				return append(path, start)
			}
			if _, seen := prev[d]; !seen && in[d] && d != start {
				prev[d] = a
				queue = append(queue, d)
			}
		}
	}
	return []string{start, start}
}

// components returns the strongly connected components (Tarjan), each
// sorted, in order of their smallest address.
func (p *Pipeline) components() [][]string {
	index := map[string]int{}
	low := map[string]int{}
	onStack := map[string]bool{}
	var stack []string
	var comps [][]string
	var strong func(a string)
	strong = func(a string) {
		index[a] = len(index)
		low[a] = index[a]
		stack = append(stack, a)
		onStack[a] = true
		for _, d := range p.nodes[a].deps {
			if _, seen := index[d]; !seen {
				strong(d)
				low[a] = min(low[a], low[d])
			} else if onStack[d] {
				low[a] = min(low[a], index[d])
			}
		}
		if low[a] == index[a] {
			var comp []string
			for {
				x := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				onStack[x] = false
				comp = append(comp, x)
				if x == a {
					break
				}
			}
			comps = append(comps, uniqueSorted(comp))
		}
	}
	for _, a := range sortedKeys(p.nodes) {
		if _, seen := index[a]; !seen {
			strong(a)
		}
	}
	sortByFirst(comps)
	return comps
}

func sortByFirst(comps [][]string) {
	for i := 1; i < len(comps); i++ {
		for j := i; j > 0 && comps[j][0] < comps[j-1][0]; j-- {
			comps[j], comps[j-1] = comps[j-1], comps[j]
		}
	}
}

func containsString(s []string, x string) bool {
	for _, y := range s {
		if y == x {
			return true
		}
	}
	return false
}
