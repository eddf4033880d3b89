package report

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

// figure is an image from the figures artifact.
type figure struct {
	title string
	file  string // name inside the figures folder
	png   []byte
}

// code is a preformatted block.
type code struct{ text string }

func (heading) isBlock() {}
func (para) isBlock()    {}
func (bullets) isBlock() {}
func (table) isBlock()   {}
func (figure) isBlock()  {}
func (code) isBlock()    {}

// doc accumulates blocks.
type doc struct{ blocks []block }

func (d *doc) h(level int, text string) { d.blocks = append(d.blocks, heading{level, text}) }
func (d *doc) p(text string)            { d.blocks = append(d.blocks, para{text}) }
func (d *doc) list(items ...string) {
	if len(items) > 0 {
		d.blocks = append(d.blocks, bullets{items})
	}
}
func (d *doc) add(b block) { d.blocks = append(d.blocks, b) }
