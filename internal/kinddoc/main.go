package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/tr119/tr119/engine"
	"github.com/tr119/tr119/internal/kindref"
	"github.com/tr119/tr119/stages/all"
)

func main() {
	out := flag.String("out", filepath.Join("docs", "kinds"), "folder to write the pages to")
	flag.Parse()
	if err := write(*out, pages(all.Registry())); err != nil {
		fmt.Fprintln(os.Stderr, "kinddoc:", err)
		os.Exit(1)
	}
}

// pages returns every page by file name.
func pages(reg *engine.Registry) map[string][]byte {
	out := map[string][]byte{}
	var index bytes.Buffer
	index.WriteString("# Stage kinds and data blocks\n\n")
	index.WriteString("<!-- Generated from the kinds' schemas by `go run ./internal/kinddoc`; do not edit. -->\n\n")
	index.WriteString("Each page lists what a block accepts (types, defaults, allowed values), the rules `tr119 validate` checks, and the outputs. `tr119 kinds KIND` prints the same.\n\n")
	for _, n := range reg.KindNames() {
		k, _ := reg.Kind(n)
		out[n+".md"] = kindref.Markdown(k)
		fmt.Fprintf(&index, "- [stage \"%s\"](%s.md): %s\n", n, n, firstSentence(k.Info().Doc))
	}
	for _, n := range reg.BlockNames() {
		b, _ := reg.Block(n)
		out[n+".md"] = kindref.BlockMarkdown(b)
		fmt.Fprintf(&index, "- [%s](%s.md) (data block)\n", n, n)
	}
	out["README.md"] = index.Bytes()
	return out
}

func firstSentence(s string) string {
	for i := 0; i+1 < len(s); i++ {
		if s[i] == '.' && s[i+1] == ' ' {
			return s[:i+1]
		}
	}
	return s
}

// write replaces the folder's pages, removing pages of kinds that are gone.
func write(dir string, pages map[string][]byte) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	old, _ := filepath.Glob(filepath.Join(dir, "*.md"))
	for _, f := range old {
		if _, keep := pages[filepath.Base(f)]; !keep {
			if err := os.Remove(f); err != nil {
				return err
			}
		}
	}
	names := make([]string, 0, len(pages))
	for n := range pages {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		tmp := filepath.Join(dir, "."+n+".tmp")
		if err := os.WriteFile(tmp, pages[n], 0o644); err != nil {
			return err
		}
		if err := os.Rename(tmp, filepath.Join(dir, n)); err != nil {
			return err
		}
	}
	return nil
}
