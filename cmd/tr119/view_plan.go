package main

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/tr119/tr119/engine"
)

// planJSON is one line of `plan -json` (and, with Type "plan", of
// `apply -json`).
type planJSON struct {
	Type     string   `json:"type,omitempty"`
	Stage    string   `json:"stage"`
	Kind     string   `json:"kind"`
	Action   string   `json:"action"`
	Reasons  []string `json:"reasons"`
	Key      string   `json:"key"`
	Warnings []string `json:"warnings,omitempty"`
	KeyLines []string `json:"key_lines,omitempty"`
}

// renderPlan writes a plan for people or as JSON lines; typ, when set,
// tags each JSON line.
func renderPlan(w io.Writer, plan *engine.Plan, asJSON, explain bool, typ string) {
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		for _, s := range plan.Stages {
			j := planJSON{Type: typ, Stage: s.Stage.Addr, Kind: s.Stage.KindName, Action: string(s.Action),
				Reasons: s.Reasons, Warnings: s.Warnings}
			if j.Reasons == nil {
				j.Reasons = []string{}
			}
			if s.Key != nil {
				j.Key = s.Key.String()
				if explain {
					j.KeyLines = s.Key.Lines
				}
			}
			enc.Encode(j)
		}
		return
	}
	counts := map[engine.Action]int{}
	for _, s := range plan.Stages {
		counts[s.Action]++
		// A stage that never ran here runs; one that ran before may find
		// its new inputs unchanged.
		if s.Action == engine.ActionRerun && s.Key == nil {
			counts["maybe "+s.Action]++
		}
		fmt.Fprintf(w, "%-7s %s\n", s.Action, s.Stage.Addr)
		for _, r := range s.Reasons {
			fmt.Fprintf(w, "          %s\n", r)
		}
		for _, r := range s.Warnings {
			fmt.Fprintf(w, "          warning: %s\n", r)
		}
		if explain {
			if s.Key == nil {
				fmt.Fprintf(w, "          key: not known until upstream stages run\n")
				continue
			}
			fmt.Fprintf(w, "          key %s:\n", s.Key)
			for _, l := range s.Key.Lines {
				fmt.Fprintf(w, "            %s\n", l)
			}
		}
	}
	fmt.Fprintf(w, "\n%s\n", planCounts(counts))
}

// planCounts is the plan's closing line. A rerun downstream of a stage
// that runs has no key yet ("maybe rerun" in counts): it is counted as an
// upper bound, since apply finds it cached when its inputs come out
// unchanged (early cutoff).
func planCounts(counts map[engine.Action]int) string {
	rerun := fmt.Sprint(counts[engine.ActionRerun])
	if counts["maybe "+engine.ActionRerun] > 0 {
		rerun = "up to " + rerun
	}
	line := fmt.Sprintf("Plan: %d to run, %s to rerun, %d cached", counts[engine.ActionRun], rerun, counts[engine.ActionCached])
	if n := counts["maybe "+engine.ActionRerun]; n > 0 {
		return fmt.Sprintf("%s; %d downstream %s only if %s inputs change.", line, n, plural(n, "stage runs", "stages run"), plural(n, "its", "their"))
	}
	return line + "."
}

// plural picks the singular or plural form for n.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
