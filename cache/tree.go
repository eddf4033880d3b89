package cache

import (
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// treeEntry is one file of a folder object.
type treeEntry struct {
	SHA256 string
	Size   int64
	Path   string // slash-separated, relative to the folder
}

// tree is a folder object: its files sorted by path. Its text form, one
// line "sha256 size relpath" per file, is itself stored as a blob, and the
// folder's digest is that blob's SHA-256. Empty folders are not recorded.
type tree []treeEntry

// encode returns the tree listing.
func (t tree) encode() []byte {
	var b strings.Builder
	for _, e := range t {
		fmt.Fprintf(&b, "%s %d %s\n", e.SHA256, e.Size, e.Path)
	}
	return []byte(b.String())
}

// size is the sum of the tree's file sizes, a folder object's Size.
func (t tree) size() int64 {
	var n int64
	for _, e := range t {
		n += e.Size
	}
	return n
}

// sortTree orders entries by path, the canonical order.
func sortTree(t tree) {
	sort.Slice(t, func(i, j int) bool { return t[i].Path < t[j].Path })
}

// parseTree parses a tree listing strictly: sorted, unique, clean relative
// paths, valid digests.
func parseTree(b []byte) (tree, error) {
	var t tree
	s := string(b)
	if s != "" && !strings.HasSuffix(s, "\n") {
		return nil, fmt.Errorf("tree listing: missing final newline")
	}
	for i, line := range strings.Split(strings.TrimSuffix(s, "\n"), "\n") {
		if s == "" {
			break
		}
		sha, rest, ok1 := strings.Cut(line, " ")
		sz, p, ok2 := strings.Cut(rest, " ")
		if !ok1 || !ok2 || !validSHA(sha) {
			return nil, fmt.Errorf("tree listing line %d: want \"sha256 size path\"", i+1)
		}
		n, err := strconv.ParseInt(sz, 10, 64)
		if err != nil || n < 0 {
			return nil, fmt.Errorf("tree listing line %d: bad size %q", i+1, sz)
		}
		if err := checkRelPath(p); err != nil {
			return nil, fmt.Errorf("tree listing line %d: %w", i+1, err)
		}
		if len(t) > 0 && t[len(t)-1].Path >= p {
			return nil, fmt.Errorf("tree listing line %d: paths not sorted and unique", i+1)
		}
		t = append(t, treeEntry{SHA256: sha, Size: n, Path: p})
	}
	return t, nil
}

// checkRelPath rejects paths that could escape a folder or break a line.
func checkRelPath(p string) error {
	if p == "" || !fs.ValidPath(p) || p != path.Clean(p) || strings.ContainsAny(p, "\n\r\\") {
		return fmt.Errorf("bad relative path %q", p)
	}
	return nil
}

// walkTree lists the regular files under root, hashing each with hash.
// Symbolic links and other special files are an error: a folder artifact
// must be self-contained.
func walkTree(root string, hash func(path string) (string, int64, error)) (tree, error) {
	// A linked root is followed (links inside it are not).
	root, err := filepath.EvalSymlinks(root)
	if err != nil {
		return nil, err
	}
	var t tree
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if !d.Type().IsRegular() {
			return fmt.Errorf("%s: not a regular file (links and devices are not stored)", p)
		}
		if err := checkRelPath(rel); err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		sha, n, err := hash(p)
		if err != nil {
			return err
		}
		t = append(t, treeEntry{SHA256: sha, Size: n, Path: rel})
		return nil
	})
	if err != nil {
		return nil, err
	}
	sortTree(t)
	return t, nil
}
