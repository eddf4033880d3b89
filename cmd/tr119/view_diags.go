package main

import (
	"encoding/json"
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/tr119/tr119/engine"
)

// printDiags renders diagnostics with source snippets, or as JSON lines.
func (a *app) printDiags(asJSON bool, p *engine.Pipeline, diags hcl.Diagnostics) {
	if asJSON {
		enc := json.NewEncoder(a.stdout)
		for _, d := range diags {
			enc.Encode(jsonDiag(d))
		}
		return
	}
	engine.WriteDiagnostics(a.stderr, p, diags, 100, false)
	// One file:line:column line per diagnostic, for editors and greps.
	for _, d := range diags {
		if j := jsonDiag(d); j.Range != nil {
			fmt.Fprintf(a.stderr, "%s:%d:%d: %s: %s\n", j.Range.Filename, j.Range.Line, j.Range.Column, j.Severity, d.Summary)
		}
	}
}

type diagJSON struct {
	Type     string     `json:"type"`
	Severity string     `json:"severity"`
	Summary  string     `json:"summary"`
	Detail   string     `json:"detail,omitempty"`
	Range    *rangeJSON `json:"range,omitempty"`
}

type rangeJSON struct {
	Filename string `json:"filename"`
	Line     int    `json:"line"`
	Column   int    `json:"column"`
}

func jsonDiag(d *hcl.Diagnostic) diagJSON {
	sev := "error"
	if d.Severity == hcl.DiagWarning {
		sev = "warning"
	}
	out := diagJSON{Type: "diagnostic", Severity: sev, Summary: d.Summary, Detail: d.Detail}
	if d.Subject != nil {
		out.Range = &rangeJSON{Filename: d.Subject.Filename, Line: d.Subject.Start.Line, Column: d.Subject.Start.Column}
	}
	return out
}

// fail prints an error in the chosen view and returns exit code 1.
func (a *app) fail(asJSON bool, format string, args ...any) int {
	msg := fmt.Sprintf(format, args...)
	if asJSON {
		json.NewEncoder(a.stdout).Encode(map[string]string{"type": "error", "error": msg})
	} else {
		fmt.Fprintln(a.stderr, "Error:", msg)
	}
	return 1
}
