package engine

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hcldec"
)

// errDiag is an error diagnostic at rng with a summary and a detail that
// ends in a fix hint.
func errDiag(rng hcl.Range, summary, detail string) *hcl.Diagnostic {
	r := rng
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: detail, Subject: &r}
}

// WriteDiagnostics renders diags as text with source snippets, as
// `tr119 validate` prints them. p may be the Pipeline of a failed Load;
// it supplies the sources. width 0 means no wrapping.
func WriteDiagnostics(w io.Writer, p *Pipeline, diags hcl.Diagnostics, width uint, color bool) error {
	var files map[string]*hcl.File
	if p != nil {
		files = p.parsed
	}
	if err := hcl.NewDiagnosticTextWriter(w, files, width, color).WriteDiagnostics(diags); err != nil {
		return fmt.Errorf("write diagnostics: %w", err)
	}
	return nil
}

// addSchemaHints appends a fix hint to HCL's own schema diagnostics
// (unsupported or missing arguments and blocks) that lack one, naming what
// the schema does accept.
func addSchemaHints(diags hcl.Diagnostics, spec hcldec.Spec, where string) {
	if spec == nil {
		return
	}
	schema := hcldec.ImpliedSchema(spec)
	var attrs, blocks []string
	for _, a := range schema.Attributes {
		attrs = append(attrs, a.Name)
	}
	for _, b := range schema.Blocks {
		blocks = append(blocks, b.Type)
	}
	hintSchemaDiags(diags, attrs, blocks, where)
}

// hintSchemaDiags is addSchemaHints for a schema given as name lists.
func hintSchemaDiags(diags hcl.Diagnostics, attrs, blocks []string, where string) {
	for _, d := range diags {
		if strings.Contains(d.Detail, "Did you mean") {
			continue
		}
		switch d.Summary {
		case "Unsupported argument":
			if len(attrs) == 0 {
				d.Detail += fmt.Sprintf(" Remove it: %s takes no arguments.", where)
			} else {
				d.Detail += fmt.Sprintf(" Remove it or use one of: %s.", listNames(attrs))
			}
		case "Unsupported block type":
			if len(blocks) == 0 {
				d.Detail += fmt.Sprintf(" Remove it: %s takes no nested blocks.", where)
			} else {
				d.Detail += fmt.Sprintf(" Remove it or use one of: %s.", listNames(blocks))
			}
		case "Missing required argument":
			d.Detail += " Add it to the block."
		default:
			if strings.HasPrefix(d.Summary, "Missing ") && strings.HasSuffix(d.Summary, " block") {
				d.Detail += " Add the block."
			}
		case "Incorrect attribute value type", "Unsuitable value type":
			if !strings.Contains(d.Detail, "but have object") { // polishDiags explains artifacts
				d.Detail += " Change the value to the required type."
			}
		}
	}
}

// sortDiags orders diagnostics as a reader scans the files: those without
// a range (command-line mistakes) first, then by file and position.
func sortDiags(diags hcl.Diagnostics) {
	sort.SliceStable(diags, func(i, j int) bool {
		a, b := diags[i].Subject, diags[j].Subject
		switch {
		case a == nil || b == nil:
			return a == nil && b != nil
		case a.Filename != b.Filename:
			return a.Filename < b.Filename
		case a.Start.Byte != b.Start.Byte:
			return a.Start.Byte < b.Start.Byte
		}
		return diags[i].Detail < diags[j].Detail
	})
}
