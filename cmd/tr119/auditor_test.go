package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tr119/tr119/attest"
	"github.com/tr119/tr119/manifest"
)

// auditorScript returns the shell script docs/manifest.md gives auditors.
func auditorScript(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../../docs/manifest.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(b), "<!-- auditor-script -->\n```sh\n")
	script, _, ok2 := strings.Cut(rest, "\n```\n")
	if !ok || !ok2 {
		t.Fatal("docs/manifest.md: no auditor-script block")
	}
	return script
}

// TestAuditorScript runs the documented way to verify signed results
// without tr119 (Python 3 and OpenSSL) on intact, tampered and padded
// results.
func TestAuditorScript(t *testing.T) {
	for _, tool := range []string{"python3", "openssl", "bash"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not found", tool)
		}
	}
	script := auditorScript(t)
	for _, tt := range []struct {
		name   string
		damage func(dir string)
		ok     bool
	}{
		{"intact", func(string) {}, true},
		{"altered", func(dir string) {
			os.WriteFile(filepath.Join(dir, "results", "cost", "a", "summary.csv"), []byte("x,y\n"), 0o644)
		}, false},
		{"stray", func(dir string) {
			os.WriteFile(filepath.Join(dir, "results", "model", "m", "dir", "extra.svg"), nil, 0o644)
		}, false},
		{"manifest rewritten", func(dir string) {
			p := filepath.Join(dir, "results", "manifest.json")
			b, _ := os.ReadFile(p)
			os.WriteFile(p, append(b, ' '), 0o644)
		}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := signedResults(t)
			tt.damage(dir)
			cmd := exec.Command("bash", "-c", script)
			cmd.Dir = dir
			out, err := cmd.CombinedOutput()
			if (err == nil) != tt.ok {
				t.Fatalf("script ok = %v, want %v:\n%s", err == nil, tt.ok, out)
			}
		})
	}
}

// signedResults writes a results folder, its manifest, a signature made
// with a new key and the public key as tr119.pub, in a new folder.
func signedResults(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{"cost/a/summary.csv": "a,b\n1,2\n", "model/m/dir/config.json": "{}", "model/m/dir/w.bin": "\x00\x01"}
	m := manifest.New()
	m.Predicate.RunDetails.Byproducts = []manifest.StageRecord{{Name: "stage.x.a",
		Annotations: manifest.StageFacts{Kind: "x", ActionKey: strings.Repeat("a", 64), Status: manifest.StageExecuted}}}
	for name, content := range files {
		p := filepath.Join(dir, "results", filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(content), 0o644)
		sum := sha256.Sum256([]byte(content))
		m.Subject = append(m.Subject, manifest.Subject{Name: name, Digest: manifest.DigestSet{"sha256": hex.EncodeToString(sum[:])},
			Annotations: manifest.SubjectAnnotations{Size: int64(len(content)), Stage: "stage.x.a"}})
	}
	path := filepath.Join(dir, "results", "manifest.json")
	if err := m.Write(path); err != nil {
		t.Fatal(err)
	}
	priv, pub, err := attest.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "tr119.key"), priv, 0o600)
	os.WriteFile(filepath.Join(dir, "tr119.pub"), pub, 0o644)
	key, err := attest.ReadPrivateKey(filepath.Join(dir, "tr119.key"))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	env, err := attest.Sign(context.Background(), b, key)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "results", signatureName), env, 0o644)
	return dir
}
