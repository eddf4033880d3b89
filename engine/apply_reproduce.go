package engine

import (
	"context"
	"fmt"
)

// Reproduce re-runs every deterministic stage of p with outputs going to
// scratch, a fresh store, while non-deterministic stages (measurements)
// are taken from o.Store as recorded. Nothing is recorded in o's state.
// Callers compare the outcome's output hashes with the manifest's.
func Reproduce(ctx context.Context, p *Pipeline, o *Options, scratch Store) (*Outcome, error) {
	ro := *o
	ro.Store, ro.Lookup = scratch, o.Store
	ro.State, ro.Replace, ro.ReplaceDeterministic = nil, nil, true
	plan, err := MakePlan(ctx, p, &ro)
	if err != nil {
		return nil, fmt.Errorf("reproduce: %w", err)
	}
	return Apply(ctx, p, plan, &ro)
}
