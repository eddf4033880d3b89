package report

import (
	"fmt"
	"strings"
)

// block is one element of the report.
type block interface{ isBlock() }

// heading is a section title; level 1 is the report title.
type heading struct {
	level int
	text  string
}

// para is a paragraph of inline text (Markdown inline syntax: **bold**,
// `code`).
type para struct{ text string }

// bullets is an unordered list of inline texts.
type bullets struct{ items []string }

// table is a data table with its provenance line.
type table struct {
	source string // e.g. "cost.summary (sha256 1a2b3c4d5e6f)"
	header []string
	rows   [][]string
}

// figure is an image from the figures artifact, numbered in the report.
type figure struct {
	title   string // as drawn
	caption string // "Figure N. ..." with what is shown and its source
	file    string // name inside the figures folder
	png     []byte
}

// code is a preformatted block.
type code struct{ text string }

// toc is the table of contents: rendered from the numbered sections.
type toc struct{}

func (heading) isBlock() {}
func (para) isBlock()    {}
func (bullets) isBlock() {}
func (table) isBlock()   {}
func (figure) isBlock()  {}
func (code) isBlock()    {}
func (toc) isBlock()     {}

// doc accumulates blocks and numbers sections: level-2 sections 1, 2, 3
// and their subsections 1.1, 1.2; appendices A, B with A.1, A.2.
type doc struct {
	blocks   []block
	sec, sub int
	appendix string
}

func (d *doc) h(level int, text string) { d.blocks = append(d.blocks, heading{level, text}) }

// section starts a numbered top-level section.
func (d *doc) section(title string) {
	d.sec++
	d.sub = 0
	d.appendix = ""
	d.h(2, fmt.Sprintf("%d. %s", d.sec, title))
}

// annex starts an appendix ("A", "Key tables").
func (d *doc) annex(letter, title string) {
	d.appendix, d.sub = letter, 0
	d.h(2, fmt.Sprintf("Appendix %s: %s", letter, title))
}

// subsection starts a numbered subsection of the current section.
func (d *doc) subsection(title string) {
	d.sub++
	if d.appendix != "" {
		d.h(3, fmt.Sprintf("%s.%d %s", d.appendix, d.sub, title))
		return
	}
	d.h(3, fmt.Sprintf("%d.%d %s", d.sec, d.sub, title))
}

func (d *doc) p(text string) { d.blocks = append(d.blocks, para{text}) }
func (d *doc) list(items ...string) {
	if len(items) > 0 {
		d.blocks = append(d.blocks, bullets{items})
	}
}
func (d *doc) add(b block) { d.blocks = append(d.blocks, b) }

// table adds t, or, when it has no rows, the sentence saying why it is
// absent: the report never shows a header without rows.
func (d *doc) table(t table, whyEmpty string) {
	if len(t.rows) == 0 {
		d.p(whyEmpty)
		return
	}
	d.add(t)
}

// sections lists the level-2 headings, for the table of contents.
func (d *doc) sections() []string {
	var out []string
	for _, b := range d.blocks {
		if h, ok := b.(heading); ok && h.level == 2 {
			out = append(out, h.text)
		}
	}
	return out
}

// mdAnchor is GitHub's anchor for a heading.
func mdAnchor(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		case r == ' ':
			b.WriteByte('-')
		}
	}
	return b.String()
}
