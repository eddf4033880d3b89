package golden

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/ with what the tests produce")

// Update reports whether the tests run with -update, for tests that
// write other fixtures than through Check.
func Update() bool { return *update }

// Check compares got with the file at path. With -update it writes got
// there first (making folders), so the test passes and the change shows
// in git diff.
func Check(t testing.TB, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file (go test -update creates it): %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (go test -update accepts the new output): %s", path, FirstDifference(want, got))
	}
}

// FirstDifference describes where got first departs from want: the line
// number and both lines, which is what a reader needs to judge a change
// without a dump of the whole output.
func FirstDifference(want, got []byte) string {
	w, g := bytes.Split(want, []byte("\n")), bytes.Split(got, []byte("\n"))
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl []byte
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		switch {
		case i >= len(w):
			return fmt.Sprintf("line %d is extra: %q", i+1, clip(gl))
		case i >= len(g):
			return fmt.Sprintf("line %d is missing: want %q", i+1, clip(wl))
		case !bytes.Equal(wl, gl):
			return fmt.Sprintf("line %d:\n  want %q\n  got  %q", i+1, clip(wl), clip(gl))
		}
	}
	return "same lines, different bytes"
}

// clip keeps a line short enough to read in a test log.
func clip(b []byte) []byte {
	if len(b) > 300 {
		return append(b[:300:300], "…"...)
	}
	return b
}
