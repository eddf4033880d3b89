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

// Options are what the benchmark stage tells every backend when it opens
// a model. Everything backend-specific (threads, providers, dtypes) lives
// in the backend's own nested block and reaches it through Registration.New.
type Options struct {
	// Device is "cpu" or "cuda:N".
	Device string
	// DeviceID is N of "cuda:N" (0 for the CPU).
	DeviceID int
	// Modes lists the modes that will be prepared, so a backend loads only
	// what they need.
	Modes []Mode
}

// Backend opens model folders (docs/model-folder.md): a configured
// backend, made by Registration.New from a stage's nested block.
type Backend interface {
	// Open loads what the requested modes need from dir, the model output
	// the backend reads (Registration.Format). It first checks the runtime
	// it found against the declared one (Registration doc) and fails,
	// naming both, when they differ. A provider or device that cannot load
	// is an error carrying the runtime's own message; an implementation
	// never falls back to another provider or device.
	Open(ctx context.Context, dir string, opts Options) (Model, error)
}

// Model is an opened model folder.
type Model interface {
	// Prepare allocates everything one mode needs at one shape, so that
	// timed calls allocate nothing. A backend that cannot run a mode at all
	// returns an error wrapping ErrUnsupportedMode; the stage then asks no
	// more for that mode and records its cells as not applicable.
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
	// Version is the runtime's version as found at run time, e.g.
	// "1.29.0" (equal to the declared one: Open checks it).
	Version string
	// Provider is where the model runs, e.g. "cpu", "cuda".
	Provider string
	// Runtime describes what was measured: versions, file hashes, the
	// settings that change timings (threads, dtype, provider options).
	// Keys are short, without the backend's prefix ("version",
	// "library_sha256", "intra_op_threads"); the stage records them as
	// "<backend>.<key>" in the environment table and they enter the
	// environment id, so rows of different runtimes never share one.
	Runtime map[string]string
	// Locations are where the runtime was found (library path,
	// interpreter path): recorded as "<backend>.<key>" in the
	// environment, but in neither the action key nor the environment id.
	Locations map[string]string
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
	// Latency is the call's wall time as the backend timed it inside its
	// own process (with device synchronisation). Zero means the backend
	// did not time it, and the stage's clock around Run is used; Loop
	// results must set it.
	Latency time.Duration
	// Generated is the number of tokens produced (generate and decode),
	// summed over the batch's rows.
	Generated int
	// Steps holds each forward pass's wall time, argmax included; in
	// decode mode Steps[0] is the time to first token.
	Steps []time.Duration
	// Tokens holds the produced token ids per row (generate and decode).
	Tokens [][]int64
}

// ErrUnsupportedMode marks a mode a backend cannot run (wrap it with the
// reason: fmt.Errorf("%w: no KV cache in this implementation",
// ErrUnsupportedMode)). The stage records the mode's cells as not
// applicable with that reason, never as degraded rows.
var ErrUnsupportedMode = errors.New("mode not supported by this backend")

// ErrRuntimeMismatch marks a runtime found at run time that is not the one
// the stage declares (another version, implementation or build). The
// stage fails before measuring, even with optional = true: measuring
// another runtime than declared would record wrong evidence.
var ErrRuntimeMismatch = errors.New("runtime differs from the declared one")

// ErrInvariant marks an output that breaks an invariant (NaN logits, no
// token generated, a wrong shape): the run is degraded, not failed.
var ErrInvariant = errors.New("invariant broken")
