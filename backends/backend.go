package backends

import (
	"context"
	"errors"
	"time"
)

// Mode is what one timed call does.
type Mode string

// Modes, with the runs table's names.
const (
	// Prefill is one forward pass over the padded batch.
	Prefill Mode = "prefill"
	// Generate is the report's uncached greedy loop: a full forward pass
	// per new token.
	Generate Mode = "generate"
	// Decode is the KV-cache greedy loop: a prefill that returns the
	// cache, then single-token steps.
	Decode Mode = "decode"
)

// Options configure how a backend opens a model.
type Options struct {
	// Provider is the execution provider: "cpu", "cuda" or "tensorrt".
	Provider string
	// DeviceID is the accelerator index for cuda and tensorrt.
	DeviceID int
	// ProviderOptions are passed to the provider as they are.
	ProviderOptions map[string]string
	// IntraOpThreads and InterOpThreads size the thread pools; 0 leaves
	// the runtime's default.
	IntraOpThreads, InterOpThreads int
	// GraphOptimization is "disable", "basic", "extended" or "all"
	// ("" means all).
	GraphOptimization string
	// Modes lists the modes that will be prepared, so only their graphs
	// are loaded.
	Modes []Mode
}

// Backend opens model folders (docs/model-folder.md).
type Backend interface {
	// Open loads the graphs the requested modes need. A provider that
	// cannot load is an error carrying the runtime's own message; an
	// implementation never falls back to another provider.
	Open(ctx context.Context, dir string, opts Options) (Model, error)
}

// Model is an opened model folder.
type Model interface {
	// Prepare allocates everything one mode needs at one shape, so that
	// timed calls allocate nothing.
	Prepare(mode Mode, shape Shape) (Runner, error)
	// Load reports what opening the model cost (cold start).
	Load() LoadStats
	// Close frees the model's sessions.
	Close() error
}

// Shape is a cell's input shape and generation limits.
type Shape struct {
	// Batch is the number of rows; SeqLen the padded prompt length.
	Batch, SeqLen int
	// MaxNewTokens is the number of tokens generate and decode produce.
	MaxNewTokens int
	// MaxSeqLen caps prompt + generated tokens.
	MaxSeqLen int
	// StopOnEOS ends a row at EOS and the loop when every row has ended.
	StopOnEOS bool
	// EOS is the end-of-text id.
	EOS int64
}

// Steps returns how many tokens a row can produce: MaxNewTokens, capped
// so that SeqLen + Steps stays within MaxSeqLen.
func (s Shape) Steps() int {
	n := s.MaxNewTokens
	if s.MaxSeqLen > 0 {
		n = min(n, s.MaxSeqLen-s.SeqLen)
	}
	return max(n, 0)
}

// LoadStats is the cold-start cost of opening a model.
type LoadStats struct {
	// LibraryInit is the time to load and initialise the runtime library
	// (zero when this process had already done it).
	LibraryInit time.Duration
	// Sessions maps each graph file to the time its session took to
	// create, which includes reading the model and its weights.
	Sessions map[string]time.Duration
	// Version is the runtime's version, e.g. "1.29.0".
	Version string
	// Provider is the execution provider the sessions run on.
	Provider string
}

// Runner performs timed calls of one mode at one shape.
type Runner interface {
	// Run performs one call over a batch (ids and mask hold Batch*SeqLen
	// values, row-major). It does only the measured work.
	Run(ctx context.Context, ids, mask []int64) (Output, error)
	// Check validates the last call's outputs (finite logits) outside the
	// timed region; it returns an error wrapping ErrInvariant.
	Check() error
	// Close frees the runner's tensors.
	Close() error
}

// Output is what one call did.
type Output struct {
	// Generated is the number of tokens produced (generate and decode),
	// summed over the batch's rows.
	Generated int
	// Steps holds each forward pass's wall time, argmax included; in
	// decode mode Steps[0] is the time to first token.
	Steps []time.Duration
	// Tokens holds the produced token ids per row (generate and decode).
	Tokens [][]int64
}

// ErrInvariant marks an output that breaks an invariant (NaN logits, no
// token generated, a wrong shape): the run is degraded, not failed.
var ErrInvariant = errors.New("invariant broken")
