package cache

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestLockWorkspaceTimeout(t *testing.T) {
	p := filepath.Join(t.TempDir(), ".tr119", "lock")
	unlock, err := LockWorkspace(context.Background(), p, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	var waits int
	_, err = LockWorkspace(context.Background(), p, 150*time.Millisecond, func() { waits++ })
	if err == nil {
		t.Fatal("second lock succeeded while the first is held")
	}
	if waits != 1 {
		t.Errorf("onWait called %d times, want 1", waits)
	}
	if !strings.Contains(err.Error(), "still held by process") || !strings.Contains(err.Error(), p) {
		t.Errorf("error %q does not say who holds which lock", err)
	}
}

func TestLockWorkspaceWaits(t *testing.T) {
	p := filepath.Join(t.TempDir(), "lock")
	unlock, err := LockWorkspace(context.Background(), p, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	var waiting, got atomic.Bool
	done := make(chan error)
	go func() {
		u, err := LockWorkspace(context.Background(), p, 10*time.Second, func() { waiting.Store(true) })
		got.Store(err == nil)
		if err == nil {
			err = u()
		}
		done <- err
	}()
	for !waiting.Load() {
		time.Sleep(5 * time.Millisecond)
	}
	if got.Load() {
		t.Fatal("second locker got the lock while the first held it")
	}
	if err := unlock(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatalf("second locker: %v", err)
	}
	if err := unlock(); err != nil {
		t.Errorf("second unlock: %v", err)
	}
}

func TestLockWorkspaceCancel(t *testing.T) {
	p := filepath.Join(t.TempDir(), "lock")
	unlock, err := LockWorkspace(context.Background(), p, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := LockWorkspace(ctx, p, 0, nil); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want the context's", err)
	}
}
