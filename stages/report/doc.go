// Package report is the report stage kind: it writes the TR119-style
// report, as Markdown and as one self-contained HTML file, from the
// analysis artifacts alone (cost, stats and validate tables, runs and
// environment tables, the plot stage's figures).
//
// The report is built as a list of blocks (headings, paragraphs, lists,
// tables, figures) and rendered twice, so the two formats say the same
// thing. Every sentence with a number or a ranking is derived from a table
// row; every table names the artifact and sha256 prefix it came from;
// nothing names a backend or scenario the data does not contain. The
// output has no timestamps: same artifacts, same bytes.
package report
