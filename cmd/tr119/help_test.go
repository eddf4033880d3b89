package main

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/tr119/tr119/engine"
)

// TestHelpEveryCommand: `tr119 COMMAND -h` prints a paragraph, the
// arguments, at least two examples and the flags on stdout, exit 0.
func TestHelpEveryCommand(t *testing.T) {
	for name := range commands() {
		t.Run(name, func(t *testing.T) {
			h, ok := helps[name]
			if !ok {
				t.Fatalf("no help for %s", name)
			}
			if len(h.examples) < 2 || h.about == "" || h.usage == "" {
				t.Errorf("help of %s wants usage, a paragraph and two examples: %+v", name, h)
			}
			for _, flagName := range []string{"-h", "-help", "--help"} {
				var out, errOut bytes.Buffer
				a := &app{reg: nil, stdout: &out, stderr: &errOut}
				if code := a.main([]string{name, flagName}); code != 0 {
					t.Errorf("%s %s: exit %d, stderr %q", name, flagName, code, errOut.String())
				}
				s := out.String()
				for _, want := range []string{"Usage: tr119 " + name, "Examples:\n  tr119 ", "Flags:\n"} {
					if !strings.Contains(s, want) {
						t.Errorf("%s %s: output lacks %q:\n%s", name, flagName, want, s)
					}
				}
				if errOut.Len() > 0 {
					t.Errorf("%s %s wrote to stderr: %q", name, flagName, errOut.String())
				}
			}
		})
	}
}

func TestTiming(t *testing.T) {
	tests := []struct {
		ev   engine.Event
		want string
	}{
		{engine.Event{}, ""},
		{engine.Event{Elapsed: 4.4}, " (elapsed 4s)"},
		{engine.Event{Elapsed: 64, Remaining: 130}, " (elapsed 1m04s, about 2m10s left)"},
		{engine.Event{Elapsed: 7500, Remaining: 59}, " (elapsed 2h05m, about 59s left)"},
	}
	for _, tt := range tests {
		if got := timing(tt.ev); got != tt.want {
			t.Errorf("timing(%+v) = %q, want %q", tt.ev, got, tt.want)
		}
	}
}

// TestOutputFileBehindRedaction: hiding file() contents must not hide
// the terminal from the progress bar.
func TestOutputFileBehindRedaction(t *testing.T) {
	if f, ok := outputFile(&redactWriter{w: os.Stdout}); !ok || f != os.Stdout {
		t.Fatalf("outputFile = %v, %v; want os.Stdout", f, ok)
	}
	if _, ok := outputFile(&redactWriter{w: new(bytes.Buffer)}); ok {
		t.Fatal("a buffer is no file")
	}
}
