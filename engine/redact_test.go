package engine

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRedactFileContents: what file() read is hidden from messages, whole,
// by line and in its quoted form; short lines and other text stay.
func TestRedactFileContents(t *testing.T) {
	ws := t.TempDir()
	secret := "root:SECRETHASH:1:0:::\nuser \"x\":pw\tTAB\nok\n"
	if err := os.WriteFile(filepath.Join(ws, "secret.txt"), []byte(secret), 0o644); err != nil {
		t.Fatal(err)
	}
	src := "locals {\n  s = file(\"secret.txt\")\n}\n"
	p, diags := loadSources(ws, map[string][]byte{"pipeline.hcl": []byte(src)}, testRegistry(), LoadOptions{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	tests := []struct{ in, want string }{
		{"value " + secret, "value (contents of secret.txt)"},
		{`with local.s as "root:SECRETHASH:1:0:::\nuser \"x\":pw\tTAB\nok\n".`, `with local.s as "(contents of secret.txt)".`},
		{"line root:SECRETHASH:1:0::: here", "line (contents of secret.txt) here"},
		{"ok, nothing else", "ok, nothing else"},
	}
	for _, tt := range tests {
		if got := p.Redact(tt.in); got != tt.want {
			t.Errorf("Redact(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if strings.Contains(p.Redact(tt.in), "SECRETHASH") {
			t.Errorf("Redact(%q) shows the secret", tt.in)
		}
	}
}
