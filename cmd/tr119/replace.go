package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"github.com/tr119/tr119/artifacts"
	"github.com/tr119/tr119/engine"
)

// pendingReplace is the workspace's record of -replace requests that have
// not completed yet: an apply -replace X that is interrupted, fails or
// skips X keeps forcing X in later plans and applies until X executes.
type pendingReplace struct {
	path  string
	addrs []string
}

// pendingFile names the record in the workspace's .tr119 folder.
const pendingFile = "replace.json"

// readPending reads the record; a missing one is empty, a damaged one is
// reported and ignored (it only ever forces extra work).
func (a *app) readPending(meta string) *pendingReplace {
	pr := &pendingReplace{path: filepath.Join(meta, pendingFile)}
	b, err := os.ReadFile(pr.path)
	if errors.Is(err, fs.ErrNotExist) {
		return pr
	}
	if err == nil {
		err = json.Unmarshal(b, &pr.addrs)
	}
	if err != nil {
		fmt.Fprintf(a.stderr, "Warning: ignoring the pending -replace record %s: %v\n", pr.path, err)
		pr.addrs = nil
	}
	return pr
}

// force adds the pending requests for stages that still exist to
// opts.Replace, and returns the ones it added.
func (pr *pendingReplace) force(p *engine.Pipeline, opts *engine.Options) []string {
	var added []string
	for _, addr := range pr.addrs {
		if len(p.Match(addr)) > 0 && !slices.Contains(opts.Replace, addr) {
			opts.Replace = append(opts.Replace, addr)
			added = append(added, addr)
		}
	}
	return added
}

// explainPending rewords the plan reason of the stages forced by an
// earlier apply.
func explainPending(p *engine.Pipeline, plan *engine.Plan, added []string) {
	for _, addr := range added {
		for _, a := range p.Match(addr) {
			if ps := plan.Stage(a); ps != nil && ps.Action == engine.ActionRerun {
				ps.Reasons = []string{"forced by -replace of an earlier apply that did not complete it"}
			}
		}
	}
}

// save records the requests of this apply before it runs.
func (pr *pendingReplace) save(addrs []string) error {
	pr.addrs = slices.Compact(slices.Sorted(slices.Values(addrs)))
	return pr.write()
}

// complete drops the requests whose stages all executed (or that match
// no stage any more). A request may name a stage block with instances.
func (pr *pendingReplace) complete(p *engine.Pipeline, out *engine.Outcome) error {
	if len(pr.addrs) == 0 {
		return nil
	}
	done := map[string]bool{}
	if out != nil {
		for _, s := range out.Stages {
			done[s.Stage.Addr] = s.Status == engine.StatusExecuted
		}
	}
	pr.addrs = slices.DeleteFunc(pr.addrs, func(addr string) bool {
		for _, a := range p.Match(addr) {
			if !done[a] {
				return false
			}
		}
		return true
	})
	return pr.write()
}

func (pr *pendingReplace) write() error {
	if len(pr.addrs) == 0 {
		if err := os.Remove(pr.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("pending -replace: %w", err)
		}
		return nil
	}
	b, err := json.Marshal(pr.addrs)
	if err != nil {
		return fmt.Errorf("pending -replace: %w", err)
	}
	if err := artifacts.WriteFileAtomic(pr.path, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("pending -replace: %w", err)
	}
	return nil
}
