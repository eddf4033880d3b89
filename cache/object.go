package cache

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// Object names a stored file or folder.
type Object struct {
	// SHA256 is the hex digest of the file, or of a folder's tree listing
	// (sorted lines "sha256 size relpath", one per file).
	SHA256 string
	// Size is the file size in bytes; for a folder, the sum of its files.
	Size int64
	// Dir is true for a folder object.
	Dir bool
}

// PutFile stores the regular file src and returns its object. On the
// cache's filesystem src is hard-linked into the store (no copy; src is
// left in place but becomes read-only, and must not be changed
// afterwards); elsewhere it is copied while being hashed. Storing content
// that is already present is cheap and safe, also concurrently.
func (c *Cache) PutFile(src string) (Object, error) {
	// Resolve links first: link(2) would store the symbolic link itself.
	target, err := filepath.EvalSymlinks(src)
	if err != nil {
		return Object{}, fmt.Errorf("put file: %w", err)
	}
	st, err := os.Stat(target)
	if err != nil {
		return Object{}, fmt.Errorf("put file: %w", err)
	}
	if !st.Mode().IsRegular() {
		return Object{}, fmt.Errorf("put file %s: not a regular file", src)
	}
	objs := filepath.Join(c.dir, objectsDir)
	tmp := tempName(objs, "put")
	var sha string
	var n int64
	if err := os.Link(target, tmp); err == nil {
		sha, n, err = syncHash(tmp)
		if err != nil {
			os.Remove(tmp)
			return Object{}, fmt.Errorf("put file %s: %w", src, err)
		}
	} else {
		sha, n, err = copyIn(target, tmp)
		if err != nil {
			return Object{}, fmt.Errorf("put file %s: %w", src, err)
		}
	}
	o := Object{SHA256: sha, Size: n}
	if err := c.install(tmp, o); err != nil {
		return Object{}, fmt.Errorf("put file %s: %w", src, err)
	}
	return o, nil
}

// syncHash hashes a file and flushes it to disk (a stage need not have
// synced what it wrote).
func syncHash(p string) (string, int64, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	sha, n, err := hashOpen(f)
	if err != nil {
		return "", 0, err
	}
	return sha, n, f.Sync()
}

// copyIn copies src to the new file tmp, hashing on the way.
func copyIn(src, tmp string) (string, int64, error) {
	in, err := os.Open(src)
	if err != nil {
		return "", 0, err
	}
	defer in.Close()
	out, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return "", 0, err
	}
	sha, n, err := copyHashed(out, in)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
	}
	return sha, n, err
}

// install moves the temporary file tmp, holding o's content, to o's place
// in the store, read-only. Objects are write-once: one already there is
// re-hashed and kept when its content is right (replacing it would give
// it a new inode for nothing); a damaged one (wrong bytes, wrong size, a
// symbolic link) is quarantined and replaced.
func (c *Cache) install(tmp string, o Object) error {
	final := c.objectFile(o.SHA256)
	if fst, err := os.Lstat(final); err == nil {
		// The same inode as tmp (src was stored before and is linked to
		// the object) holds the bytes just hashed; anything else is read.
		if tst, err := os.Lstat(tmp); err == nil && os.SameFile(fst, tst) {
			os.Remove(tmp)
			return nil
		}
		if _, err := c.blob(o.SHA256, o.Size, check{deep: true}); err == nil {
			os.Remove(tmp)
			return nil
		}
	}
	if err := os.Chmod(tmp, 0o444); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.MkdirAll(filepath.Dir(final), 0o755); err != nil {
		os.Remove(tmp)
		return err
	}
	// Two processes installing the same content both succeed: the last
	// rename wins and the bytes are identical.
	if err := os.Rename(tmp, final); err != nil {
		os.Remove(tmp)
		return err
	}
	syncDir(filepath.Dir(final))
	c.forgetQuarantine(o.SHA256)
	if st, err := os.Lstat(final); err == nil {
		c.seen.add(o.SHA256, fileIDOf(st))
	}
	return nil
}

// putBytes stores b as a blob.
func (c *Cache) putBytes(b []byte) (Object, error) {
	o := Object{SHA256: hashBytes(b), Size: int64(len(b))}
	tmp := tempName(filepath.Join(c.dir, objectsDir), "put")
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		os.Remove(tmp)
		return Object{}, err
	}
	if f, err := os.Open(tmp); err == nil {
		f.Sync()
		f.Close()
	}
	return o, c.install(tmp, o)
}

// PutDir stores every regular file under src as a blob (as PutFile does,
// so the files become read-only) and the folder's tree listing as a blob;
// the returned object's SHA256 is the listing's digest. Symbolic links
// and special files are refused.
func (c *Cache) PutDir(src string) (Object, error) {
	st, err := os.Stat(src)
	if err != nil {
		return Object{}, fmt.Errorf("put dir: %w", err)
	}
	if !st.IsDir() {
		return Object{}, fmt.Errorf("put dir %s: not a folder", src)
	}
	t, err := walkTree(src, func(p string) (string, int64, error) {
		o, err := c.PutFile(p)
		return o.SHA256, o.Size, err
	})
	if err != nil {
		return Object{}, fmt.Errorf("put dir %s: %w", src, err)
	}
	lo, err := c.putBytes(t.encode())
	if err != nil {
		return Object{}, fmt.Errorf("put dir %s: store tree: %w", src, err)
	}
	return Object{SHA256: lo.SHA256, Size: t.size(), Dir: true}, nil
}

// errObject builds an error naming the object, wrapping kind.
func errObject(kind error, sha, format string, args ...any) error {
	return fmt.Errorf("object %s: %s: %w", short(sha), fmt.Sprintf(format, args...), kind)
}

// short abbreviates a digest for messages.
func short(sha string) string {
	if len(sha) > 12 {
		return sha[:12]
	}
	return sha
}

// isNotExist is errors.Is(err, fs.ErrNotExist).
func isNotExist(err error) bool { return errors.Is(err, os.ErrNotExist) }
