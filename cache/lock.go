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
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("lock workspace: %w", err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock workspace: %w", err)
	}
	var deadline <-chan time.Time
	if timeout > 0 {
		t := time.NewTimer(timeout)
		defer t.Stop()
		deadline = t.C
	}
	waited := false
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			break
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) && !errors.Is(err, syscall.EINTR) {
			f.Close()
			return nil, fmt.Errorf("lock workspace %s: %w", path, err)
		}
		if !waited && onWait != nil {
			onWait()
		}
		waited = true
		select {
		case <-ctx.Done():
			f.Close()
			return nil, fmt.Errorf("lock workspace %s: %w", path, ctx.Err())
		case <-deadline:
			f.Close()
			return nil, fmt.Errorf("lock workspace %s: still held%s after %v (another tr119 apply is running; raise -lock-timeout or wait)", path, holder(path), timeout)
		case <-time.After(lockPoll):
		}
	}
	// Record the holder for the message a waiting process prints.
	if err := f.Truncate(0); err == nil {
		f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	var once sync.Once
	var uerr error
	return func() error {
		once.Do(func() { uerr = release(f, path) })
		return uerr
	}, nil
}

// release drops the lock and closes the lock file.
func release(f *os.File, path string) error {
	f.Truncate(0)
	err := syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("unlock workspace %s: %w", path, err)
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
