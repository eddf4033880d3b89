package report

import (
	"fmt"
	"strings"
)

// markdown renders the blocks as GitHub-flavoured Markdown. Figures link
// to their PNG where the results folder places them (figDir, relative to
// the report), which the HTML inlines instead.
func markdown(d *doc, figDir string) []byte {
	var b strings.Builder
	for _, blk := range d.blocks {
		switch x := blk.(type) {
		case heading:
			fmt.Fprintf(&b, "%s %s\n\n", strings.Repeat("#", x.level), x.text)
		case para:
			fmt.Fprintf(&b, "%s\n\n", x.text)
		case bullets:
			for _, it := range x.items {
				fmt.Fprintf(&b, "- %s\n", it)
			}
			b.WriteString("\n")
		case table:
			fmt.Fprintf(&b, "Source: %s\n\n", x.source)
			b.WriteString("| " + strings.Join(escCells(x.header), " | ") + " |\n")
			b.WriteString("|" + strings.Repeat(" --- |", len(x.header)) + "\n")
			for _, r := range x.rows {
				b.WriteString("| " + strings.Join(escCells(r), " | ") + " |\n")
			}
			b.WriteString("\n")
		case figure:
			fmt.Fprintf(&b, "![%s](%s/%s)\n\n%s\n\n", x.title, figDir, x.file, x.caption)
		case toc:
			b.WriteString("Contents:\n\n")
			for _, s := range d.sections() {
				fmt.Fprintf(&b, "- [%s](#%s)\n", s, mdAnchor(s))
			}
			b.WriteString("\n")
		case code:
			fmt.Fprintf(&b, "```\n%s\n```\n\n", strings.TrimRight(x.text, "\n"))
		}
	}
	return []byte(b.String())
}

func escCells(xs []string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = strings.ReplaceAll(x, "|", `\|`)
	}
	return out
}
