package report

import (
	"encoding/base64"
	"fmt"
	"html"
	"regexp"
	"strings"
)

// style is the report's whole stylesheet, inlined: no external requests.
const style = `body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;line-height:1.5;color:#222}
h1,h2,h3{line-height:1.25}h2{border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:2em}
.tbl{overflow-x:auto;margin:.5em 0 1.5em}table{border-collapse:collapse;font-size:.9em}td{overflow-wrap:normal;word-break:normal}td.id,td code{white-space:nowrap}th,td{border:1px solid #ccc;padding:.25em .6em;text-align:left}
th{background:#f3f3f3}tr:nth-child(even) td{background:#fafafa}.src{font-size:.8em;color:#666;margin-bottom:.2em}
code{background:#f3f3f3;padding:0 .2em;border-radius:3px;white-space:nowrap}pre{background:#f6f6f6;padding:.8em;overflow-x:auto}
figure{margin:1em 0}figure img{max-width:100%;height:auto;border:1px solid #eee}figcaption{font-size:.9em;color:#444}`

// maxUnbroken is the longest table cell without spaces kept on one line;
// longer ones (lists such as an environment's cell_order) may break after
// a comma.
const maxUnbroken = 60

// htmlDoc renders the blocks as one self-contained HTML page: CSS inline,
// figures as data: URIs, no script, no external reference.
func htmlDoc(d *doc, title string) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>%s</title>\n<style>\n%s\n</style>\n</head>\n<body>\n",
		html.EscapeString(title), style)
	for _, blk := range d.blocks {
		switch x := blk.(type) {
		case heading:
			fmt.Fprintf(&b, "<h%d id=\"%s\">%s</h%d>\n", x.level, anchor(x.text), inline(x.text), x.level)
		case para:
			fmt.Fprintf(&b, "<p>%s</p>\n", inline(x.text))
		case bullets:
			b.WriteString("<ul>\n")
			for _, it := range x.items {
				fmt.Fprintf(&b, "<li>%s</li>\n", inline(it))
			}
			b.WriteString("</ul>\n")
		case table:
			fmt.Fprintf(&b, "<div class=\"src\">Source: %s</div>\n<div class=\"tbl\"><table>\n<thead><tr>", inline(x.source))
			for _, h := range x.header {
				fmt.Fprintf(&b, "<th>%s</th>", inline(h))
			}
			b.WriteString("</tr></thead>\n<tbody>\n")
			for _, r := range x.rows {
				b.WriteString("<tr>")
				for _, c := range r {
					// A cell without spaces is an identifier or a number:
					// it never breaks (the table scrolls instead).
					switch {
					case strings.ContainsAny(c, " "):
						fmt.Fprintf(&b, "<td>%s</td>", inline(c))
					case len(c) > maxUnbroken:
						// A long list without spaces may break after its
						// separators, never inside a name.
						fmt.Fprintf(&b, "<td>%s</td>", strings.ReplaceAll(inline(c), ",", ",<wbr>"))
					default:
						fmt.Fprintf(&b, "<td class=\"id\">%s</td>", inline(c))
					}
				}
				b.WriteString("</tr>\n")
			}
			b.WriteString("</tbody>\n</table></div>\n")
		case figure:
			fmt.Fprintf(&b, "<figure id=\"%s\"><img alt=\"%s\" src=\"data:image/png;base64,%s\"><figcaption>%s</figcaption></figure>\n",
				anchor(x.file), html.EscapeString(x.title), base64.StdEncoding.EncodeToString(x.png), inline(x.caption))
		case toc:
			b.WriteString("<nav><p>Contents:</p>\n<ul>\n")
			for _, s := range d.sections() {
				fmt.Fprintf(&b, "<li><a href=\"#%s\">%s</a></li>\n", anchor(s), inline(s))
			}
			b.WriteString("</ul></nav>\n")
		case code:
			fmt.Fprintf(&b, "<pre><code>%s</code></pre>\n", html.EscapeString(strings.TrimRight(x.text, "\n")))
		}
	}
	b.WriteString("</body>\n</html>\n")
	return []byte(b.String())
}

var (
	boldRE = regexp.MustCompile(`\*\*([^*]+)\*\*`)
	codeRE = regexp.MustCompile("`([^`]+)`")
	nonID  = regexp.MustCompile(`[^a-z0-9]+`)
)

// inline escapes text and turns the Markdown subset the report writes
// (**bold**, `code`) into HTML.
func inline(s string) string {
	s = html.EscapeString(s)
	s = codeRE.ReplaceAllString(s, "<code>$1</code>")
	return boldRE.ReplaceAllString(s, "<strong>$1</strong>")
}

func anchor(s string) string {
	return strings.Trim(nonID.ReplaceAllString(strings.ToLower(s), "-"), "-")
}
