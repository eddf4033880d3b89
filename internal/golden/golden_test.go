package golden

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

func TestFirstDifference(t *testing.T) {
	for _, tc := range []struct{ want, got, say string }{
		{"a\nb\nc", "a\nx\nc", "line 2:\n  want \"b\"\n  got  \"x\""},
		{"a\nb", "a\nb\nc", `line 3 is extra: "c"`},
		{"a\nb\nc", "a\nb", `line 3 is missing: want "c"`},
		{"a\r\n", "a\n", "line 1:"},
		{"a", "a", "same lines, different bytes"},
	} {
		if got := FirstDifference([]byte(tc.want), []byte(tc.got)); !strings.HasPrefix(got, tc.say) {
			t.Errorf("FirstDifference(%q, %q) = %q, want it to start %q", tc.want, tc.got, got, tc.say)
		}
	}
}

func TestCheckPassesOnEqualBytes(t *testing.T) {
	p := t.TempDir() + "/x.golden"
	ft := &fakeT{TB: t}
	if err := writeFile(p, "same\n"); err != nil {
		t.Fatal(err)
	}
	Check(ft, p, []byte("same\n"))
	if ft.failed {
		t.Fatal("Check failed on equal bytes")
	}
	Check(ft, p, []byte("other\n"))
	if !ft.failed || !strings.Contains(ft.msg, "line 1") {
		t.Fatalf("Check on different bytes: failed=%v msg=%q", ft.failed, ft.msg)
	}
}

// fakeT records Errorf instead of failing the real test.
type fakeT struct {
	testing.TB
	failed bool
	msg    string
}

func (f *fakeT) Helper() {}

func (f *fakeT) Errorf(format string, args ...any) {
	f.failed, f.msg = true, fmt.Sprintf(format, args...)
}

func writeFile(p, s string) error { return os.WriteFile(p, []byte(s), 0o644) }
