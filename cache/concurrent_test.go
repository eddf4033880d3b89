package cache

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// putAndGet stores n actions whose outputs overlap with any other
// worker's (same content, same keys) and reads them back.
func putAndGet(c *Cache, dir, worker string, n int) error {
	for i := 0; i < n; i++ {
		content := fmt.Sprintf("output %d\n%s", i, strings.Repeat("z", i*100))
		p := filepath.Join(dir, fmt.Sprintf("%s-%d", worker, i))
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			return err
		}
		o, err := c.PutFile(p)
		if err != nil {
			return err
		}
		k := id(fmt.Sprint("action", i))
		if err := c.PutAction(k, &ActionEntry{Outputs: []Output{{Name: "out", Object: o}}}); err != nil {
			return err
		}
		e, err := c.GetAction(k)
		if err != nil {
			return err
		}
		if e.Outputs[0].Object != o {
			return fmt.Errorf("action %d: got %+v, want %+v", i, e.Outputs[0].Object, o)
		}
		got, err := c.ObjectPath(o)
		if err != nil {
			return err
		}
		if b, _ := os.ReadFile(got); string(b) != content {
			return fmt.Errorf("object %d content differs", i)
		}
	}
	return nil
}

func TestConcurrentGoroutines(t *testing.T) {
	c, log := newCache(t)
	dir := t.TempDir()
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for w := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[w] = putAndGet(c, dir, fmt.Sprint("w", w), 20)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	if log.String() != "" {
		t.Errorf("warnings: %s", log)
	}
}

// TestConcurrentProcesses runs the same workload in two processes (this
// test binary re-executed) on one cache folder.
func TestConcurrentProcesses(t *testing.T) {
	if d := os.Getenv("TR119_CACHE_HELPER"); d != "" {
		c, err := Open(d, Options{})
		if err == nil {
			err = putAndGet(c, os.Getenv("TR119_CACHE_HELPER_SRC"), fmt.Sprint("p", os.Getpid()), 30)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return
	}
	dir := filepath.Join(t.TempDir(), "cache")
	src := t.TempDir()
	var cmds []*exec.Cmd
	for i := 0; i < 2; i++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestConcurrentProcesses$")
		cmd.Env = append(os.Environ(), "TR119_CACHE_HELPER="+dir, "TR119_CACHE_HELPER_SRC="+src)
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, cmd)
	}
	for _, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Errorf("helper process: %v", err)
		}
	}
	c, log := newCache(t)
	c.dir = dir
	if err := putAndGet(c, src, "parent", 30); err != nil {
		t.Fatal(err)
	}
	if log.String() != "" {
		t.Errorf("warnings: %s", log)
	}
}
