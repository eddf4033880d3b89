package artifacts

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// AtomicFile is a file being written atomically: data goes to a temporary
// file in the destination's folder, and Commit makes it appear at the
// destination in one rename. Until Commit, readers of the destination see
// the old content (or nothing); after Abort, nothing at all is left behind.
type AtomicFile struct {
	// File is the temporary file; write to it (it is an io.Writer), but do
	// not close or rename it yourself.
	*os.File
	path string
	perm os.FileMode
	done bool
}

// CreateAtomic starts an atomic write of path with permissions 0644. The
// caller writes to the returned file and must call Commit or Abort
// (a deferred Abort after a successful Commit does nothing).
func CreateAtomic(path string) (*AtomicFile, error) {
	return CreateAtomicPerm(path, 0o644)
}

// CreateAtomicPerm is CreateAtomic with the given final permissions.
func CreateAtomicPerm(path string, perm os.FileMode) (*AtomicFile, error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return nil, fmt.Errorf("create temp for %s: %w", path, err)
	}
	return &AtomicFile{File: f, path: path, perm: perm}, nil
}

// Path returns the destination path.
func (a *AtomicFile) Path() string { return a.path }

// Commit flushes the data to disk, sets the permissions, renames the
// temporary file onto the destination and syncs the folder so the rename
// survives a crash. On error the temporary file is removed.
func (a *AtomicFile) Commit() error {
	if a.done {
		return errors.New("atomic file: already committed or aborted")
	}
	a.done = true
	tmp := a.Name()
	err := a.Sync()
	if err == nil {
		err = a.Chmod(a.perm)
	}
	if cerr := a.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, a.path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("commit %s: %w", a.path, err)
	}
	// A failed folder sync does not undo the rename; it only weakens
	// durability on a crash, so it is not reported as a failed write.
	_ = SyncDir(filepath.Dir(a.path))
	return nil
}

// Abort discards the temporary file. It is safe to call after Commit
// (it then does nothing), so `defer f.Abort()` is the usual pattern.
func (a *AtomicFile) Abort() error {
	if a.done {
		return nil
	}
	a.done = true
	tmp := a.Name()
	a.Close()
	if err := os.Remove(tmp); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("abort %s: %w", a.path, err)
	}
	return nil
}

// WriteFileAtomic writes data to path atomically (temp file in the same
// folder, fsync, rename, folder sync): a reader sees either the old file or
// the whole new one, never a half-written file.
func WriteFileAtomic(path string, data []byte, perm os.FileMode) error {
	f, err := CreateAtomicPerm(path, perm)
	if err != nil {
		return err
	}
	defer f.Abort()
	if _, err := f.Write(data); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return f.Commit()
}

// WriteAtomic streams r into path atomically, like WriteFileAtomic.
func WriteAtomic(path string, r io.Reader, perm os.FileMode) (int64, error) {
	f, err := CreateAtomicPerm(path, perm)
	if err != nil {
		return 0, err
	}
	defer f.Abort()
	n, err := io.Copy(f, r)
	if err != nil {
		return n, fmt.Errorf("write %s: %w", path, err)
	}
	return n, f.Commit()
}

// SyncDir fsyncs a folder so that renames and creations inside it are
// durable.
func SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("sync dir: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync dir %s: %w", dir, err)
	}
	return nil
}

// WriteAtomicFunc streams fill's output into path through CreateAtomic: on
// any error nothing is left behind and an existing file at path is
// untouched. The bufio.Writer in between is not an io.Closer, so a writer
// that closes what it writes to (the Parquet writer does) cannot close the
// file before it is synced.
func WriteAtomicFunc(path string, fill func(io.Writer) error) error {
	f, err := CreateAtomic(path)
	if err != nil {
		return err
	}
	defer f.Abort()
	bw := bufio.NewWriterSize(f, 1<<20)
	if err := fill(bw); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return f.Commit()
}
