package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/tr119/tr119/stages/all"
)

// The pages in docs/kinds are what the schemas say: a schema change
// without `go run ./internal/kinddoc` fails here.
func TestDocsUpToDate(t *testing.T) {
	dir := filepath.Join("..", "..", "docs", "kinds")
	want := pages(all.Registry())
	for name, body := range want {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Errorf("%s: %v (run go run ./internal/kinddoc)", name, err)
			continue
		}
		if string(got) != string(body) {
			t.Errorf("docs/kinds/%s differs from the schema (run go run ./internal/kinddoc)", name)
		}
	}
	on, _ := filepath.Glob(filepath.Join(dir, "*.md"))
	for _, f := range on {
		if _, ok := want[filepath.Base(f)]; !ok {
			t.Errorf("docs/kinds/%s documents no registered kind (run go run ./internal/kinddoc)", filepath.Base(f))
		}
	}
}

func TestWriteReplacesPages(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "gone.md"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := write(dir, map[string][]byte{"a.md": []byte("a\n")}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "gone.md")); !os.IsNotExist(err) {
		t.Error("a page of a removed kind stayed")
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "a.md")); string(b) != "a\n" {
		t.Errorf("a.md = %q", b)
	}
}
