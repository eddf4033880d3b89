package cache

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// ObjectPath returns the read-only path of a stored file, or of the
// folder assembled (from hard links) for a stored tree. It checks sizes
// and that every member of a tree exists, not content; a wrong-sized
// object is removed. Errors wrap ErrMissing or ErrCorrupt.
func (c *Cache) ObjectPath(o Object) (string, error) {
	return c.objectPath(o, check{})
}

// Verify re-hashes the object's content (every member, for a folder).
// A damaged object is removed and the error wraps ErrCorrupt; an absent
// one wraps ErrMissing.
func (c *Cache) Verify(o Object) error {
	_, err := c.objectPath(o, check{deep: true})
	return err
}

// VerifyInput checks an object a stage is about to read: every blob is
// re-hashed unless this process already hashed it in the same file state
// (it stored it, or checked it moments ago). A damaged object is
// quarantined and the error wraps ErrCorrupt; an absent one ErrMissing.
func (c *Cache) VerifyInput(o Object) error {
	_, err := c.objectPath(o, check{input: true})
	return err
}

// check says how hard to look at an object's content: deep re-hashes
// every blob; input re-hashes every blob not already hashed by this
// process; otherwise small blobs are re-hashed, and larger ones when the
// memo sees their attributes changed or when they were modified after
// since (a stored object is never written again, so a later mtime means
// someone wrote into it, e.g. through a hard-linked result file).
type check struct {
	deep  bool
	input bool
	since time.Time
}

func (c *Cache) objectPath(o Object, ck check) (string, error) {
	if !validSHA(o.SHA256) {
		return "", fmt.Errorf("object %q: not a sha256 digest: %w", o.SHA256, ErrMissing)
	}
	if !o.Dir {
		return c.blob(o.SHA256, o.Size, ck)
	}
	t, err := c.readTree(o.SHA256)
	if err != nil {
		return "", err
	}
	if t.size() != o.Size {
		return "", errObject(ErrCorrupt, o.SHA256, "folder holds %d bytes, want %d", t.size(), o.Size)
	}
	for _, e := range t {
		if _, err := c.blob(e.SHA256, e.Size, ck); err != nil {
			return "", fmt.Errorf("folder %s: %s: %w", short(o.SHA256), e.Path, err)
		}
	}
	return c.assemble(o.SHA256, t)
}

// smallObject is the size up to which a blob is re-hashed on every read
// (once per process and file state): the cost is negligible and catches
// damage no file attribute shows. Larger blobs are re-hashed when their
// file attributes changed (see Options.Memo) or on a deep check.
const smallObject = 256 << 10

// blob checks one stored file and returns its path. A file that is not a
// regular file (a symbolic link to identical bytes included), has the
// wrong size or the wrong content is damage: it is quarantined and the
// error wraps ErrCorrupt.
func (c *Cache) blob(sha string, size int64, ck check) (string, error) {
	p := c.objectFile(sha)
	st, err := os.Lstat(p)
	if isNotExist(err) {
		if problem, kept, ok := c.quarantineNote(sha); ok {
			return "", &CorruptError{SHA256: sha, Problem: problem, Kept: kept, Gone: true}
		}
		return "", errObject(ErrMissing, sha, "not in the cache")
	}
	if err != nil {
		return "", fmt.Errorf("object %s: %w", short(sha), err)
	}
	if !st.Mode().IsRegular() {
		return "", c.damaged(sha, p, "not a regular file (%s)", st.Mode().Type())
	}
	if st.Size() != size {
		return "", c.damaged(sha, p, "size %d, want %d", st.Size(), size)
	}
	id := fileIDOf(st)
	if !ck.deep && c.seen.has(sha, id) {
		return p, nil
	}
	var got string
	switch {
	case ck.deep || ck.input || size <= smallObject || (!ck.since.IsZero() && st.ModTime().After(ck.since)):
		got, _, err = HashFile(p)
	case c.memo != nil:
		got, _, err = c.memo.File(p)
	default:
		return p, nil
	}
	if err != nil {
		return "", fmt.Errorf("object %s: %w", short(sha), err)
	}
	if got != sha {
		return "", c.damaged(sha, p, "content hashes to %s", short(got))
	}
	c.seen.add(sha, id)
	return p, nil
}

// damaged quarantines the object sha at p and returns the error saying
// why.
func (c *Cache) damaged(sha, p string, format string, args ...any) error {
	problem := fmt.Sprintf(format, args...)
	c.seen.forget(sha)
	kept := c.quarantine(sha, p, problem)
	return &CorruptError{SHA256: sha, Problem: problem, Kept: kept}
}

// readTree reads and checks a tree listing blob.
func (c *Cache) readTree(sha string) (tree, error) {
	p := c.objectFile(sha)
	st, err := os.Lstat(p)
	if isNotExist(err) {
		if problem, kept, ok := c.quarantineNote(sha); ok {
			return nil, &CorruptError{SHA256: sha, Problem: "folder listing: " + problem, Kept: kept, Gone: true}
		}
		return nil, errObject(ErrMissing, sha, "folder listing not in the cache")
	}
	if err == nil && !st.Mode().IsRegular() {
		return nil, c.damaged(sha, p, "folder listing is not a regular file (%s)", st.Mode().Type())
	}
	b, err := os.ReadFile(p)
	if err != nil {
		return nil, fmt.Errorf("object %s: %w", short(sha), err)
	}
	if got := hashBytes(b); got != sha {
		return nil, c.damaged(sha, p, "folder listing hashes to %s", short(got))
	}
	t, err := parseTree(b)
	if err != nil {
		// A blob that hashes right but is no listing: the caller's Object
		// wrongly says Dir. The blob itself is fine; keep it.
		return nil, errObject(ErrCorrupt, sha, "%v", err)
	}
	return t, nil
}

// assemble returns the folder for tree sha, building it from hard links
// to the blobs when it is absent or no longer matches.
func (c *Cache) assemble(sha string, t tree) (string, error) {
	dst := c.treeDir(sha)
	if c.assembled(dst, t) {
		return dst, nil
	}
	tmp := tempName(filepath.Join(c.dir, treesDir), short(sha))
	if err := c.buildTree(tmp, t); err != nil {
		os.RemoveAll(tmp)
		return "", fmt.Errorf("assemble folder %s: %w", short(sha), err)
	}
	if err := os.Rename(tmp, dst); err == nil {
		return dst, nil
	}
	// Another process may have assembled it at the same moment; then
	// keep theirs rather than pull it from under their feet.
	if c.assembled(dst, t) {
		os.RemoveAll(tmp)
		return dst, nil
	}
	if err := replaceDir(tmp, dst); err != nil {
		os.RemoveAll(tmp)
		return "", fmt.Errorf("assemble folder %s: %w", short(sha), err)
	}
	return dst, nil
}

// buildTree lays out t's files under the new folder dir as links to (or
// copies of) the blobs.
func (c *Cache) buildTree(dir string, t tree) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, e := range t {
		p := filepath.Join(dir, filepath.FromSlash(e.Path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if _, err := linkOrCopy(c.objectFile(e.SHA256), p); err != nil {
			return err
		}
	}
	return nil
}

// assembled reports whether dir holds exactly t's files, each the same
// inode as its blob. (On a filesystem without hard links the folder is
// rebuilt on every call: slower, never wrong.)
func (c *Cache) assembled(dir string, t tree) bool {
	return sameTree(dir, t, func(e treeEntry, p string, st fs.FileInfo) bool {
		bst, err := os.Stat(c.objectFile(e.SHA256))
		return err == nil && os.SameFile(st, bst)
	})
}

// sameTree reports whether dir holds exactly the files of t and match
// accepts each of them.
func sameTree(dir string, t tree, match func(e treeEntry, p string, st fs.FileInfo) bool) bool {
	n := 0
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		n++
		return nil
	})
	if err != nil || n != len(t) {
		return false
	}
	for _, e := range t {
		p := filepath.Join(dir, filepath.FromSlash(e.Path))
		st, err := os.Lstat(p)
		if err != nil || !st.Mode().IsRegular() || st.Size() != e.Size || !match(e, p, st) {
			return false
		}
	}
	return true
}

// replaceDir moves the folder tmp to dst, replacing whatever is at dst.
// rename(2) cannot replace a non-empty folder, so an old dst is first
// renamed aside and removed after; a reader sees the old folder, then
// (for an instant) nothing, then the new one, never a mix.
func replaceDir(tmp, dst string) error {
	if err := os.Rename(tmp, dst); err == nil {
		syncDir(filepath.Dir(dst))
		return nil
	}
	old := tempName(filepath.Dir(dst), filepath.Base(dst)+".old")
	if err := os.Rename(dst, old); err != nil && !isNotExist(err) {
		return err
	}
	if err := os.Rename(tmp, dst); err != nil {
		return err
	}
	syncDir(filepath.Dir(dst))
	return os.RemoveAll(old)
}
