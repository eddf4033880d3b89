package cache

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// The artifacts package has the repo's shared atomic writer, but cache
// imports nothing of tr119 (DESIGN.md), so it keeps these few helpers.

// tempName returns an unused-looking temporary name in dir derived from
// base; the random suffix makes collisions between processes negligible.
func tempName(dir, base string) string {
	var b [8]byte
	rand.Read(b[:])
	return filepath.Join(dir, "."+base+".tmp-"+hex.EncodeToString(b[:]))
}

// writeAtomic writes data to path via a synced temporary file and a
// rename, so readers see the old file or the new one, never a part.
func writeAtomic(path string, data []byte, perm os.FileMode) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if err == nil {
		err = f.Chmod(perm)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	syncDir(dir)
	return nil
}

// syncDir makes renames in dir durable; failure only weakens durability
// on a crash, so it is not reported.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// copyFile copies src to a new file dst (which must not exist), synced
// and with permissions perm.
func copyFile(src, dst string, perm os.FileMode) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	_, err = io.CopyBuffer(out, in, make([]byte, hashBufSize))
	if err == nil {
		err = out.Sync()
	}
	if err == nil {
		err = out.Chmod(perm)
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(dst)
	}
	return err
}

// linkOrCopy hard-links src at dst (which must not exist), copying
// instead when a link is impossible (another filesystem, or a filesystem
// without hard links). It reports whether it linked.
func linkOrCopy(src, dst string) (linked bool, err error) {
	if err := os.Link(src, dst); err == nil {
		return true, nil
	} else if errors.Is(err, os.ErrExist) {
		return false, err
	}
	return false, copyFile(src, dst, 0o444)
}

// sameFile reports whether a and b name the same inode.
func sameFile(a, b string) bool {
	sa, err1 := os.Stat(a)
	sb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(sa, sb)
}
