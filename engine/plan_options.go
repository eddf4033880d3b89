package engine

import (
	"log/slog"
	"slices"
)

// Options configure plan and apply. Store is required; the rest default.
type Options struct {
	// Store is where actions are looked up and outputs are written.
	Store Store
	// Lookup, when set, is where cached actions are looked up instead of
	// Store (verify -reproduce reads the real cache, writes a scratch one).
	Lookup Store
	// State records applied stages; nil keeps no state.
	State *StateDir
	// Hasher hashes input files; nil reads every file each time.
	Hasher FileHasher
	// Machine is this host, compared with recorded measurements.
	Machine Machine
	// Replace forces these stages to run: instance addresses, or block
	// addresses for all of a block's instances (see Stage.Matches).
	Replace []string
	// ReplaceDeterministic forces every deterministic stage to run.
	ReplaceDeterministic bool
	// Target limits the plan to these stages and what they need (same
	// addresses as Replace).
	Target []string
	// Parallelism bounds concurrent stages (default 1).
	Parallelism int
	// Settings are handed to every Run.
	Settings map[string]string
	// TempDir holds the private output folders of running stages.
	TempDir string
	// Log receives engine and stage logs (default: discard).
	Log *slog.Logger
	// OnEvent receives apply events; calls are serialised.
	OnEvent func(Event)
}

func (o *Options) lookup() Store {
	if o.Lookup != nil {
		return o.Lookup
	}
	return o.Store
}

func (o *Options) hasher() FileHasher {
	if o.Hasher != nil {
		return o.Hasher
	}
	return plainHasher{}
}

func (o *Options) log() *slog.Logger {
	if o.Log != nil {
		return o.Log
	}
	return slog.New(slog.DiscardHandler)
}

// forced reports whether st must run whatever the cache holds.
func (o *Options) forced(st *Stage) bool {
	return slices.ContainsFunc(o.Replace, st.Matches) || (o.ReplaceDeterministic && st.Kind.Info().Deterministic)
}
