package report

import (
	"bytes"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/tr119/tr119/stages/internal/reporttest"
)

// TestWinnerFlipsFromData renders the analysis example's 350-run table (5
// backends x 5 scenarios): the nuances must name the scenarios whose
// winner differs from the mean's winner, exactly as the winners table says.
func TestWinnerFlipsFromData(t *testing.T) {
	if testing.Short() {
		t.Skip("short mode")
	}
	fx := reporttest.FixtureOf(t, exampleRuns(t), 1.006)
	md, _ := render(t, fixtureConfig(t, fx))
	flip := regexp.MustCompile("In (prefill|generate), `([a-z-]+)` wins `([a-z_]+)`")
	m := flip.FindSubmatch(md)
	if m == nil {
		t.Fatalf("no winner flip stated:\n%s", md[:2000])
	}
	// The winners table must agree: that scenario's row names that backend.
	row := []byte("| " + string(m[1]) + " | " + string(m[3]) + " | total | " + string(m[2]) + " |")
	if !bytes.Contains(md, row) {
		t.Errorf("winners table lacks %q", row)
	}
}

func BenchmarkReport(b *testing.B) {
	fx := reporttest.FixtureOf(b, exampleRuns(b), 1.006)
	c, err := decode(fixtureConfig(b, fx))
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		in, err := load(c)
		if err != nil {
			b.Fatal(err)
		}
		d := in.build()
		_ = markdown(d, "figures")
		_ = htmlDoc(d, c.Title)
	}
}

// exampleRuns is the analysis example's runs table, absolute.
func exampleRuns(t testing.TB) string {
	p, err := filepath.Abs("../../examples/analysis/runs.csv")
	if err != nil {
		t.Fatal(err)
	}
	return p
}
