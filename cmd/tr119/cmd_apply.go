package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/tr119/tr119/engine"
)

// apply plans, runs what is stale, materialises results and writes the
// manifest.
func (a *app) apply(ctx context.Context, argv []string) int {
	var x args
	fs := a.flagSet("apply", &x)
	varFlags(fs, &x)
	stageFlags(fs, &x)
	fs.IntVar(&x.parallelism, "parallelism", 0, "run at most N stages at once (default: the core count)")
	runFlags(fs, &x)
	lockFlag(fs, &x)
	if code, done := a.parse(fs, &x, argv); done {
		return code
	}
	started := time.Now()
	p, ws, unlock, code := a.lockedWorkspace(ctx, &x)
	if code != 0 {
		return code
	}
	defer unlock()
	dir := resultsDir(&x, p)
	if err := checkResultsDir(dir, ws.meta, ws.cdir); err != nil {
		return a.fail(x.json, "%v", err)
	}
	// A killed earlier run may have left private output folders behind.
	if err := os.RemoveAll(ws.opts.TempDir); err != nil {
		return a.fail(x.json, "clean temp: %v", err)
	}
	// A -replace that an earlier apply did not complete still holds.
	pending := a.readPending(ws.meta)
	added := pending.force(p, ws.opts)
	rec := resultsRecord(ws, dir)
	// A result written into in place may have damaged the cache's copy:
	// find out before planning, so the plan does not serve it as cached.
	engine.CheckResults(ws.opts.Store, dir, rec, ws.opts.Log)
	plan, err := engine.MakePlan(ctx, p, ws.opts)
	if err != nil {
		return a.planError(x.json, p, err)
	}
	explainPending(p, plan, added)
	if err := pending.save(ws.opts.Replace); err != nil {
		return a.fail(x.json, "%v", err)
	}
	hideReplacedContents(p, plan)
	renderPlan(a.stdout, plan, x.json, false, "plan")
	if !x.json {
		fmt.Fprintln(a.stdout)
	}
	view := newApplyView(a.stdout, x.json)
	ws.opts.OnEvent = view.event
	out, err := engine.Apply(ctx, p, plan, ws.opts)
	ws.saveMemo(a)
	if perr := pending.complete(p, out); perr != nil {
		fmt.Fprintf(a.stderr, "Warning: %v\n", perr)
	}
	if err != nil {
		view.summary(plan, out, "")
		return a.fail(x.json, "apply interrupted: %v; the next apply resumes", err)
	}
	err = a.writeResults(ws, out, dir, started, rec)
	ws.saveMemo(a) // the manifest's dependencies were hashed through it
	if err != nil {
		view.summary(plan, out, "")
		return a.fail(x.json, "%v", err)
	}
	view.summary(plan, out, dir)
	if err := out.Err(); err != nil {
		return 1
	}
	return 0
}
