package kindref

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/tr119/tr119/engine"
	"github.com/tr119/tr119/schema"
)

// Text writes a kind's reference as indented plain text.
func Text(w io.Writer, k engine.Kind) error {
	info := k.Info()
	det := ""
	if !info.Deterministic {
		det = ", not deterministic"
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s (version %s%s)\n    %s\n", info.Name, info.Version, det, info.Doc)
	fieldsText(&b, engine.DocSchema(k))
	for _, o := range info.Outputs {
		kind := o.MediaType
		if o.Dir {
			kind = "folder"
		}
		fmt.Fprintf(&b, "    output %s (%s): %s\n", o.Name, kind, o.Doc)
	}
	_, err := w.Write(b.Bytes())
	return err
}

// BlockText writes a data block kind's reference as plain text.
func BlockText(w io.Writer, bk engine.BlockKind) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s (data block: %s \"NAME\" { ... }, referenced as %s.NAME)\n", bk.BlockName(), bk.BlockName(), bk.BlockName())
	fieldsText(&b, bk.Schema())
	_, err := w.Write(b.Bytes())
	return err
}

func fieldsText(b *bytes.Buffer, s *schema.Body) {
	for _, f := range s.Fields() {
		what := "input"
		if f.Block {
			what = "block"
		}
		fmt.Fprintf(b, "    %s %s (%s): %s\n", what, f.Path, summary(f), f.Doc)
	}
	for _, r := range s.RuleDocs() {
		fmt.Fprintf(b, "    rule: %s\n", r)
	}
}

// summary is a field's type, requiredness, default and constraints in
// one parenthesis.
func summary(f schema.Field) string {
	parts := []string{f.Type}
	switch {
	case f.Required:
		parts = append(parts, "required")
	case f.Default != "":
		parts = append(parts, "default "+f.Default)
	default:
		parts = append(parts, "optional")
	}
	if f.Constraints != "" {
		parts = append(parts, f.Constraints)
	}
	return strings.Join(parts, ", ")
}

// Markdown returns a kind's reference page.
func Markdown(k engine.Kind) []byte {
	info := k.Info()
	var b bytes.Buffer
	fmt.Fprintf(&b, "# Stage kind `%s`\n\n", info.Name)
	b.WriteString(generated)
	fmt.Fprintf(&b, "```hcl\nstage \"%s\" \"NAME\" {\n  ...\n}\n```\n\n", info.Name)
	fmt.Fprintf(&b, "%s\n\n", info.Doc)
	fmt.Fprintf(&b, "Implementation version %s", info.Version)
	if info.Deterministic {
		b.WriteString("; deterministic (the same inputs give the same bytes, which `tr119 verify -reproduce` checks).\n\n")
	} else {
		b.WriteString("; not deterministic (a measurement).\n\n")
	}
	fieldsMarkdown(&b, engine.DocSchema(k))
	if len(info.Outputs) > 0 {
		fmt.Fprintf(&b, "## Outputs\n\nReferenced as `stage.%s.NAME.OUTPUT`.\n\n| Output | Media type | Description |\n| --- | --- | --- |\n", info.Name)
		for _, o := range info.Outputs {
			mt := o.MediaType
			if o.Dir {
				mt = "folder"
			}
			fmt.Fprintf(&b, "| `%s` | %s | %s |\n", o.Name, cell(mt), cell(o.Doc))
		}
	}
	return b.Bytes()
}

// BlockMarkdown returns a data block kind's reference page.
func BlockMarkdown(bk engine.BlockKind) []byte {
	var b bytes.Buffer
	n := bk.BlockName()
	fmt.Fprintf(&b, "# Data block `%s`\n\n", n)
	b.WriteString(generated)
	fmt.Fprintf(&b, "```hcl\n%s \"NAME\" {\n  ...\n}\n```\n\n", n)
	fmt.Fprintf(&b, "A data block runs nothing: it evaluates to an object, referenced as `%s.NAME`, with the attributes below and `name` (the label).\n\n", n)
	fieldsMarkdown(&b, bk.Schema())
	return b.Bytes()
}

const generated = "<!-- Generated from the kind's schema by `go run ./internal/kinddoc`; do not edit. -->\n\n"

func fieldsMarkdown(b *bytes.Buffer, s *schema.Body) {
	fields := s.Fields()
	if len(fields) > 0 {
		b.WriteString("## Inputs\n\n| Name | Type | Required | Default | Allowed | Description |\n| --- | --- | --- | --- | --- | --- |\n")
		for _, f := range fields {
			req := "no"
			if f.Required {
				req = "yes"
			}
			def := ""
			if f.Default != "" {
				def = "`" + f.Default + "`"
			}
			fmt.Fprintf(b, "| `%s` | %s | %s | %s | %s | %s |\n", f.Path, cell(f.Type), req, cell(def), cell(f.Constraints), cell(f.Doc))
		}
		b.WriteString("\n")
	}
	if rules := s.RuleDocs(); len(rules) > 0 {
		b.WriteString("## Rules\n\n")
		for _, r := range rules {
			fmt.Fprintf(b, "- %s\n", r)
		}
		b.WriteString("\n")
	}
}

// cell escapes a Markdown table cell.
func cell(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s)
}
