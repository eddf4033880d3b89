package main

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"

	"github.com/tr119/tr119/cache"
)

// gc removes cache entries that neither this workspace's state nor its
// results manifest references. A cache shared by several workspaces
// (TR119_CACHE) keeps only what the workspace gc runs in uses.
func (a *app) gc(ctx context.Context, argv []string) int {
	var x args
	fs := a.flagSet("gc", &x)
	lockFlag(fs, &x)
	fs.StringVar(&x.out, "out", "", "results folder whose manifest to keep (default: results/ in the workspace)")
	if code, done := a.parse(fs, &x, argv); done {
		return code
	}
	p, ws, unlock, code := a.lockedWorkspace(ctx, &x)
	if code != 0 {
		return code
	}
	defer unlock()
	keys, err := ws.opts.State.Keys()
	if err != nil {
		return a.fail(x.json, "%v", err)
	}
	mref, _ := manifestRefsFile(filepath.Join(resultsDir(&x, p), "manifest.json"))
	var keep []cache.ActionID
	for _, k := range append(keys, mref.keys...) {
		if id, err := cache.ParseActionID(k); err == nil {
			keep = append(keep, id)
		}
	}
	st, err := ws.cache.GC(keep, mref.objects)
	if err != nil {
		return a.fail(x.json, "gc: %v", err)
	}
	if x.json {
		json.NewEncoder(a.stdout).Encode(map[string]any{"type": "gc", "actions": st.Actions,
			"objects": st.Objects, "bytes": st.Bytes})
		return 0
	}
	fmt.Fprintf(a.stdout, "Removed %d action entries and %d objects, freeing %s.\n", st.Actions, st.Objects, humanBytes(st.Bytes))
	return 0
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
