package cache

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// Materialize places the object at dst: a file, or a folder with the
// tree's files. Files are hard links to the read-only blobs (no copy, so
// a large model costs nothing), or copies when dst is on another
// filesystem. dst is replaced atomically (temporary name, then rename);
// a dst already identical to the object is left alone. Parent folders
// are created.
func (c *Cache) Materialize(o Object, dst string) error {
	if err := c.materialize(o, dst); err != nil {
		return fmt.Errorf("materialize %s: %w", dst, err)
	}
	return nil
}

func (c *Cache) materialize(o Object, dst string) error {
	if _, err := c.ObjectPath(o); err != nil {
		return err
	}
	parent := filepath.Dir(dst)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return err
	}
	canLink := c.linkable(parent)
	if !o.Dir {
		return c.materializeFile(o, dst, canLink)
	}
	t, err := c.readTree(o.SHA256)
	if err != nil {
		return err
	}
	same := func(e treeEntry, p string, st fs.FileInfo) bool {
		if canLink {
			bst, err := os.Stat(c.objectFile(e.SHA256))
			return err == nil && os.SameFile(st, bst)
		}
		sha, _, err := HashFile(p)
		return err == nil && sha == e.SHA256
	}
	if st, err := os.Lstat(dst); err == nil && st.IsDir() && sameTree(dst, t, same) {
		return nil
	}
	tmp := tempName(parent, filepath.Base(dst))
	if err := c.buildTree(tmp, t); err != nil {
		os.RemoveAll(tmp)
		return err
	}
	if err := replaceDir(tmp, dst); err != nil {
		os.RemoveAll(tmp)
		return err
	}
	return nil
}

// materializeFile places a file object at dst.
func (c *Cache) materializeFile(o Object, dst string, canLink bool) error {
	src := c.objectFile(o.SHA256)
	st, err := os.Lstat(dst)
	exists := err == nil
	if exists && st.Mode().IsRegular() && st.Size() == o.Size {
		// Linked: the same inode is the proof. Copied: compare content
		// (a re-link is cheaper than a re-hash, so only when copying).
		if canLink && sameFile(src, dst) {
			return nil
		}
		if !canLink {
			if sha, _, err := HashFile(dst); err == nil && sha == o.SHA256 {
				return nil
			}
		}
	}
	tmp := tempName(filepath.Dir(dst), filepath.Base(dst))
	if _, err := linkOrCopy(src, tmp); err != nil {
		return err
	}
	if exists && st.IsDir() {
		// A folder output became a file output: clear the old folder.
		if err := os.RemoveAll(dst); err != nil {
			os.Remove(tmp)
			return err
		}
	}
	if err := os.Rename(tmp, dst); err != nil {
		os.Remove(tmp)
		return err
	}
	syncDir(filepath.Dir(dst))
	return nil
}

// linkable reports whether blobs can be hard-linked into dir: whether
// it is on the store's filesystem. It must not link an object to find
// out: every link changes the object's ctime, which reads take as a sign
// that the object was written (and re-hash it). A filesystem without hard
// links is still served, by copies (linkOrCopy), only more slowly.
func (c *Cache) linkable(dir string) bool {
	d, err1 := os.Stat(dir)
	o, err2 := os.Stat(filepath.Join(c.dir, objectsDir))
	if err1 != nil || err2 != nil {
		return false
	}
	ds, ok1 := d.Sys().(*syscall.Stat_t)
	os_, ok2 := o.Sys().(*syscall.Stat_t)
	return ok1 && ok2 && ds.Dev == os_.Dev
}
