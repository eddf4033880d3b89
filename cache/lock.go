package cache

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// lockPoll is how often a waiting locker retries.
const lockPoll = 50 * time.Millisecond

// LockWorkspace takes an exclusive lock on the file at path (created if
// needed), so that two apply runs on one workspace cannot interleave. The
// lock is flock(2)-based: the kernel drops it when the holder exits,
// however it exits, so a killed apply never leaves a stale lock.
//
// If another process (or another LockWorkspace call in this one) holds
// it, onWait (if non-nil) is called once, so the CLI can print a message,
// and LockWorkspace retries until it gets the lock, ctx is done, or
// timeout has passed (timeout <= 0: no limit but ctx). The returned
// unlock releases the lock.
func LockWorkspace(ctx context.Context, path string, timeout time.Duration, onWait func()) (unlock func() error, err error) {
	return lockFile(ctx, path, syscall.LOCK_EX, timeout, onWait, "lock workspace",
		"another tr119 apply is running; raise -lock-timeout or wait")
}

// LockMode says how a process uses a cache: Shared for apply (several
// applies, from any workspace, at once), Exclusive for gc.
type LockMode int

// Cache lock modes.
const (
	Shared LockMode = iota
	Exclusive
)

// cacheLockFile is the cache's own lock, beside its folders.
const cacheLockFile = "lock"

// Lock takes the cache's own lock. Apply holds it Shared for its whole
// run, gc Exclusive, so gc in one workspace never removes objects that an
// apply in another workspace sharing the cache (TR119_CACHE) has stored
// but not yet recorded or placed. Waiting, timeout and onWait work as for
// LockWorkspace; the lock goes when the process exits, however it exits.
func (c *Cache) Lock(ctx context.Context, mode LockMode, timeout time.Duration, onWait func()) (unlock func() error, err error) {
	how, hint := syscall.LOCK_SH, "tr119 gc is cleaning this cache; wait or raise -lock-timeout"
	if mode == Exclusive {
		how, hint = syscall.LOCK_EX, "a tr119 run is using this cache; wait for it or raise -lock-timeout"
	}
	return lockFile(ctx, filepath.Join(c.dir, cacheLockFile), how, timeout, onWait, "lock cache", hint)
}

// lockFile takes a flock(2) lock of kind how on the file at path.
func lockFile(ctx context.Context, path string, how int, timeout time.Duration, onWait func(), what, hint string) (unlock func() error, err error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	var deadline <-chan time.Time
	if timeout > 0 {
		t := time.NewTimer(timeout)
		defer t.Stop()
		deadline = t.C
	}
	waited := false
	for {
		err := syscall.Flock(int(f.Fd()), how|syscall.LOCK_NB)
		if err == nil {
			break
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) && !errors.Is(err, syscall.EINTR) {
			f.Close()
			return nil, fmt.Errorf("%s %s: %w", what, path, err)
		}
		if !waited && onWait != nil {
			onWait()
		}
		waited = true
		select {
		case <-ctx.Done():
			f.Close()
			return nil, fmt.Errorf("%s %s: %w", what, path, ctx.Err())
		case <-deadline:
			f.Close()
			return nil, fmt.Errorf("%s %s: still held%s after %v (%s)", what, path, holder(path), timeout, hint)
		case <-time.After(lockPoll):
		}
	}
	// Record the holder of an exclusive lock for the message a waiting
	// process prints (a shared lock has several holders).
	exclusive := how == syscall.LOCK_EX
	if exclusive {
		if err := f.Truncate(0); err == nil {
			f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
		}
	}
	var once sync.Once
	var uerr error
	return func() error {
		once.Do(func() { uerr = release(f, path, exclusive) })
		return uerr
	}, nil
}

// release drops the lock and closes the lock file.
func release(f *os.File, path string, exclusive bool) error {
	if exclusive {
		f.Truncate(0)
	}
	err := syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("unlock %s: %w", path, err)
	}
	return nil
}

// holder describes the process recorded in the lock file, if any.
func holder(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	if pid := strings.TrimSpace(string(b)); pid != "" {
		return " by process " + pid
	}
	return ""
}
