package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/tr119/tr119/cache"
	"github.com/tr119/tr119/engine"
)

// gc removes cache entries that no workspace using the cache references:
// this one's state and results manifest, and those of every other
// workspace recorded in a shared cache (TR119_CACHE) that still exists.
// It holds the cache's exclusive lock, so it waits for applies running in
// any workspace sharing the cache. Kept objects are checked as cheaply as
// reads check them; -verify re-hashes every stored byte. Damage goes to
// the cache's quarantine folder.
func (a *app) gc(ctx context.Context, argv []string) int {
	var x args
	fs := a.flagSet("gc", &x)
	lockFlag(fs, &x)
	fs.StringVar(&x.out, "out", "", "results folder whose manifest to keep (default: results/ in the workspace)")
	verify := fs.Bool("verify", false, "re-hash every object and check every action entry, quarantining damage")
	if code, done := a.parse(fs, &x, argv); done {
		return code
	}
	p, ws, unlock, code := a.lockedWorkspace(ctx, &x)
	if code != 0 {
		return code
	}
	defer unlock()
	// Trade the shared cache lock for the exclusive one: gc must not
	// remove what an apply elsewhere has stored but not yet recorded.
	ws.cacheUnlock()
	unlockCache, err := ws.cache.Lock(ctx, cache.Exclusive, x.lockTimeout, func() {
		fmt.Fprintln(a.stderr, "Waiting for tr119 runs using this cache (in any workspace) to finish...")
	})
	if err != nil {
		return a.fail(x.json, "%v", err)
	}
	ws.cacheUnlock = unlockCache
	keys, err := ws.opts.State.Keys()
	if err != nil {
		return a.fail(x.json, "%v", err)
	}
	mref, _ := manifestRefsFile(filepath.Join(resultsDir(&x, p), "manifest.json"))
	keys = append(keys, mref.keys...)
	objects := mref.objects
	others, err := otherWorkspaces(ws.cache, p.Workspace)
	if err != nil {
		return a.fail(x.json, "gc: %v", err)
	}
	for _, o := range others {
		keys = append(keys, o.keys...)
		objects = append(objects, o.objects...)
	}
	var keep []cache.ActionID
	for _, k := range keys {
		if id, err := cache.ParseActionID(k); err == nil {
			keep = append(keep, id)
		}
	}
	var sc cache.StoreCheck
	if *verify {
		if sc, err = ws.cache.VerifyStore(); err != nil {
			return a.fail(x.json, "gc: %v", err)
		}
	}
	st, err := ws.cache.GC(keep, objects)
	if err != nil {
		return a.fail(x.json, "gc: %v", err)
	}
	damaged := st.Damaged + sc.Damaged
	if x.json {
		json.NewEncoder(a.stdout).Encode(map[string]any{"type": "gc", "actions": st.Actions,
			"objects": st.Objects, "bytes": st.Bytes, "damaged": damaged, "verified_bytes": sc.Bytes,
			"workspaces": len(others) + 1})
		return 0
	}
	if *verify {
		fmt.Fprintf(a.stdout, "Verified %d objects (%s) and %d action entries.\n", sc.Objects, humanBytes(sc.Bytes), sc.Entries)
	}
	if len(others) > 0 {
		fmt.Fprintf(a.stdout, "Kept what %d other workspace(s) sharing this cache use.\n", len(others))
	}
	if damaged > 0 {
		fmt.Fprintf(a.stdout, "Found %d damaged objects or entries; moved them to %s (plan says which stages must run again).\n",
			damaged, filepath.Join(ws.cache.Dir(), "quarantine"))
	}
	fmt.Fprintf(a.stdout, "Removed %d action entries and %d objects, freeing %s.\n", st.Actions, st.Objects, humanBytes(st.Bytes))
	return 0
}

// workspaceRefs are the action keys and objects one workspace references.
type workspaceRefs struct {
	dir           string
	keys, objects []string
}

// otherWorkspaces gathers what the other workspaces recorded in c
// reference (their state and results manifest); workspaces that no
// longer exist are forgotten.
func otherWorkspaces(c *cache.Cache, self string) ([]workspaceRefs, error) {
	dirs, err := c.Workspaces()
	if err != nil {
		return nil, err
	}
	var out []workspaceRefs
	for _, d := range dirs {
		if d == self {
			continue
		}
		meta := filepath.Join(d, ".tr119")
		if _, err := os.Stat(meta); errors.Is(err, fs.ErrNotExist) {
			c.ForgetWorkspace(d)
			continue
		}
		keys, err := engine.OpenState(filepath.Join(meta, "state")).Keys()
		if err != nil {
			return nil, fmt.Errorf("workspace %s: %w", d, err)
		}
		mref, _ := manifestRefsFile(filepath.Join(d, "results", "manifest.json"))
		out = append(out, workspaceRefs{dir: d, keys: append(keys, mref.keys...), objects: mref.objects})
	}
	return out, nil
}

// humanBytes formats a byte count with a binary unit.
func humanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
