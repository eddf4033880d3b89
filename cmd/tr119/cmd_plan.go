package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/tr119/tr119/engine"
)

// validate checks the pipeline and prints every diagnostic.
func (a *app) validate(ctx context.Context, argv []string) int {
	var x args
	fs := a.flagSet("validate", &x)
	varFlags(fs, &x)
	if code, done := a.parse(fs, &x, argv); done {
		return code
	}
	p := a.load(&x)
	if p == nil {
		return 1
	}
	if x.json {
		json.NewEncoder(a.stdout).Encode(map[string]any{"type": "valid", "stages": len(p.Stages)})
	} else {
		fmt.Fprintf(a.stdout, "The pipeline is valid: %d stages.\n", len(p.Stages))
	}
	return 0
}

// plan prints each stage's fate and why.
func (a *app) plan(ctx context.Context, argv []string) int {
	var x args
	fs := a.flagSet("plan", &x)
	varFlags(fs, &x)
	stageFlags(fs, &x)
	runFlags(fs, &x)
	fs.BoolVar(&x.explain, "explain", false, "print the text lines that went into each action key")
	if code, done := a.parse(fs, &x, argv); done {
		return code
	}
	p := a.load(&x)
	if p == nil {
		return 1
	}
	ws, err := a.open(&x, p)
	if err != nil {
		return a.fail(x.json, "%v", err)
	}
	if err := checkResultsDir(resultsDir(&x, p), ws.meta, ws.cdir); err != nil {
		return a.fail(x.json, "%v", err)
	}
	added := a.readPending(ws.meta).force(p, ws.opts)
	plan, err := engine.MakePlan(ctx, p, ws.opts)
	if err != nil {
		return a.planError(x.json, p, err)
	}
	explainPending(p, plan, added)
	ws.saveMemo(a)
	hideReplacedContents(p, plan)
	renderPlan(a.stdout, plan, x.json, x.explain, "")
	return 0
}

// planError prints diagnostics from evaluation or a plain error.
func (a *app) planError(asJSON bool, p *engine.Pipeline, err error) int {
	var diags hcl.Diagnostics
	if errors.As(err, &diags) {
		a.printDiags(asJSON, p, diags)
		return 1
	}
	return a.fail(asJSON, "%v", err)
}

// saveMemo persists the file hash memo; failure only costs speed.
func (ws *workspace) saveMemo(a *app) {
	if err := ws.memo.Save(); err != nil {
		fmt.Fprintf(a.stderr, "Warning: save hash memo: %v\n", err)
	}
}
