package report

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/tr119/tr119/stages/internal/reporttest"
)

// TestHTMLSelfContained parses the HTML and checks that it references
// nothing outside itself: every src is a data: URI, no href leaves the
// page, no script or stylesheet link, and every figure is an <img>.
func TestHTMLSelfContained(t *testing.T) {
	fx := reporttest.Fixture(t, 1.006)
	_, page := render(t, fixtureConfig(t, fx))
	CheckSelfContained(t, page, 14)
}

// CheckSelfContained fails t when page is not a self-contained HTML page
// with wantImgs inline images.
func CheckSelfContained(t *testing.T, page []byte, wantImgs int) {
	t.Helper()
	root, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	imgs := 0
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "script", "link", "iframe", "object", "embed":
				t.Errorf("external-capable element <%s>", n.Data)
			case "img":
				imgs++
			}
			for _, a := range n.Attr {
				switch a.Key {
				case "src":
					if !strings.HasPrefix(a.Val, "data:image/") {
						t.Errorf("<%s src=%q> is not a data: URI", n.Data, a.Val)
					}
				case "href":
					if !strings.HasPrefix(a.Val, "#") {
						t.Errorf("<%s href=%q> leaves the page", n.Data, a.Val)
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(root)
	if imgs != wantImgs {
		t.Errorf("%d images, want %d", imgs, wantImgs)
	}
	if bytes.Contains(page, []byte("url(")) || bytes.Contains(page, []byte("@import")) {
		t.Error("CSS refers to an outside resource")
	}
}

// TestHTMLInChromium opens the page in headless Chromium and checks that
// every figure decoded (naturalWidth > 0) via scripts/check-report-html.sh.
// It skips when Chromium is not installed.
func TestHTMLInChromium(t *testing.T) {
	if _, err := exec.LookPath("chromium"); err != nil {
		t.Skip("chromium not installed (apt-get install chromium)")
	}
	if testing.Short() {
		t.Skip("short mode")
	}
	fx := reporttest.Fixture(t, 1.006)
	_, page := render(t, fixtureConfig(t, fx))
	p := filepath.Join(t.TempDir(), "report.html")
	if err := os.WriteFile(p, page, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("../../scripts/check-report-html.sh", p).CombinedOutput()
	if err != nil {
		t.Fatalf("check-report-html.sh: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "14/14 figures shown") {
		t.Errorf("unexpected output:\n%s", out)
	}
}

// TestHTMLKeepsIdentifiersWhole: a table cell without spaces (an
// identifier such as onnxruntime-cpu-fused, or a number) is marked not to
// wrap, inline code never wraps, and no rule lets a word break anywhere.
func TestHTMLKeepsIdentifiersWhole(t *testing.T) {
	fx := reporttest.Fixture(t, 1.006)
	_, page := render(t, fixtureConfig(t, fx))
	s := string(page)
	for _, want := range []string{`td.id,td code{white-space:nowrap}`, `white-space:nowrap}pre`, `<td class="id">onnxruntime-cpu</td>`} {
		if !strings.Contains(s, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	for _, bad := range []string{"overflow-wrap:anywhere", "word-break:break-all", `<td>onnxruntime-cpu</td>`} {
		if strings.Contains(s, bad) {
			t.Errorf("page has %q", bad)
		}
	}
}
