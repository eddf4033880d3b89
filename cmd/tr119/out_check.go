package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/tr119/tr119/manifest"
)

// checkResultsDir refuses a results folder that apply must not write:
// one inside the workspace's .tr119 folder or the cache (gc would delete
// the results, and results are hard links into the cache), and one whose
// manifest.json tr119 did not write (apply would overwrite the user's
// file and remove what it lists).
func checkResultsDir(dir, meta, cacheDir string) error {
	for _, private := range []string{meta, cacheDir} {
		if within(dir, private) {
			return fmt.Errorf("-out %s is inside %s, which tr119 manages (gc would delete the results): choose a folder outside it", dir, private)
		}
	}
	mpath := filepath.Join(dir, "manifest.json")
	b, err := os.ReadFile(mpath)
	if err != nil {
		return nil // none yet (or unreadable: the write will say why)
	}
	if m, err := manifest.Parse(b); err == nil && m.Predicate.RunDetails.Builder.ID == manifest.BuilderID {
		return nil
	}
	// A damaged tr119 manifest still names its builder; the next apply
	// rewrites it.
	if bytes.Contains(b, []byte(`"`+manifest.BuilderID+`"`)) {
		return nil
	}
	return fmt.Errorf("%s is not a tr119 manifest: apply would overwrite it; choose another results folder with -out, or move the file", mpath)
}

// within reports whether path is dir or inside it (both made absolute,
// links in existing parents resolved).
func within(path, dir string) bool {
	if dir == "" {
		return false
	}
	p, d := resolve(path), resolve(dir)
	rel, err := filepath.Rel(d, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// resolve makes path absolute and resolves links in its longest existing
// prefix.
func resolve(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return path
	}
	rest := ""
	for p := abs; ; {
		if r, err := filepath.EvalSymlinks(p); err == nil {
			return filepath.Join(r, rest)
		}
		parent := filepath.Dir(p)
		if parent == p {
			return abs
		}
		rest = filepath.Join(filepath.Base(p), rest)
		p = parent
	}
}
