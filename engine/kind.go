package engine

import (
	"context"
	"log/slog"

	"github.com/zclconf/go-cty/cty"

	"github.com/tr119/tr119/schema"
)

// Kind is one stage kind ("import", "cost", "benchmark", ...). The engine
// owns this interface: kinds are registered in a Registry passed to the
// engine, never through package globals.
type Kind interface {
	// Info describes the kind: its name, implementation version and outputs.
	Info() KindInfo
	// Schema describes a stage body of this kind. The engine decodes and
	// evaluates the body with Schema().Spec(), reports every violation of
	// the schema with the attribute's source range (at validate and plan
	// time for the values known then, and again at apply before Run), and
	// hands the value to Run as Run.Config. Artifact-valued attributes use
	// ArtifactType (or a list of it); data blocks (scenario, ...) arrive
	// as objects.
	Schema() *schema.Body
	// Run executes one stage. It writes every output under r.OutDir and
	// names them in the Result. An error fails the stage: nothing of it is
	// cached and its dependents do not run.
	Run(ctx context.Context, r *Run) (*Result, error)
}

// KindInfo is the static description of a stage kind.
type KindInfo struct {
	// Name is the kind's name as written in `stage "<name>" "<label>"`.
	Name string
	// Version is the implementation version. It is part of every action
	// key of this kind: bump it whenever the same inputs would give other
	// output bytes.
	Version string
	// Deterministic is true when the same inputs always give the same
	// output bytes (every kind but a benchmark). Non-deterministic kinds
	// are not re-run by `verify -reproduce`.
	Deterministic bool
	// Doc is a one-paragraph description for `tr119 kinds` and docs.
	Doc string
	// Outputs documents every output the kind may produce.
	Outputs []OutputInfo
}

// OutputInfo documents one output of a kind.
type OutputInfo struct {
	// Name is the output's name: stage.KIND.LABEL.NAME refers to it.
	Name string
	// MediaType of the artifact, e.g. "application/vnd.apache.parquet".
	MediaType string
	// Dir is true when the output is a folder (a model directory).
	Dir bool
	// Doc says what the output holds.
	Doc string
}

// Resources are what a stage must hold exclusively while it runs.
type Resources struct {
	// Host means nothing else runs beside the stage (benchmarks).
	Host bool
	// Devices are device names ("cpu", "cuda:0") the stage holds alone.
	Devices []string
}

// ResourceClaimer is implemented by kinds that need exclusive resources;
// the engine asks it with the stage's evaluated config.
type ResourceClaimer interface {
	Resources(config cty.Value) Resources
}

// FileInputer is implemented by kinds that read files or folders named in
// their config (import's path, a local model dir). The engine hashes each
// returned path (relative to the workspace, or absolute) into the stage's
// action key as an input.
type FileInputer interface {
	FileInputs(config cty.Value) ([]string, error)
}

// Run is what the engine hands a kind for one execution.
type Run struct {
	// Addr is the stage address, e.g. "stage.cost.tr119".
	Addr string
	// Label is the stage instance's name: its address without
	// "stage.KIND.", e.g. "tr119", `cpu["fused"]` or "cpu[0]". A kind with
	// a display label should default to it (one name per thing).
	Label string
	// Config is the evaluated stage body (per Kind.Schema), checked
	// against the schema. Artifact values
	// inside it point at read-only files in the cache.
	Config cty.Value
	// Workspace is the absolute path of the folder holding the pipeline.
	Workspace string
	// OutDir is an empty folder, private to this run, where the kind
	// writes its outputs. The engine hashes and stores them afterwards.
	OutDir string
	// CheckpointDir survives an interrupted run of the same action key, so
	// a long stage can keep finished work there and resume. The engine
	// removes it after the stage succeeds.
	CheckpointDir string
	// Settings are tool-wide settings (flag > environment > the pipeline's
	// `settings` block), e.g. "onnxruntime_library". They are not part of
	// any key.
	Settings map[string]string
	// Progress receives progress reports; never nil.
	Progress Progress
	// Log is the stage's logger; never nil.
	Log *slog.Logger
}

// Result is what a kind returns from a successful Run.
type Result struct {
	// Outputs maps output names (see KindInfo.Outputs) to paths relative
	// to Run.OutDir.
	Outputs map[string]string
	// Unavailable, when set, says why the stage could not run on this
	// machine (no GPU, no provider). The stage is then not cached, its
	// dependents still run and see artifacts with Available false.
	Unavailable string
	// Environment is what the stage measured on (CPU, GPU, driver,
	// library versions), recorded in the manifest; keys are sorted there.
	Environment map[string]string
}

// Progress receives a running stage's progress. Implementations must be
// safe for concurrent use.
type Progress interface {
	// Report says that done of total units of work are finished (total 0
	// when unknown) and what is happening now, e.g. "cell 3/30 rep 2".
	Report(done, total int64, note string)
}

// Upstream is a stage another stage depends on, as its config evaluates
// before anything runs (outputs of stages further up unknown).
type Upstream struct {
	// Addr is the stage's address, e.g. "stage.cost.tr119".
	Addr string
	// Kind is its kind's name.
	Kind string
	// Config is its evaluated body.
	Config cty.Value
}

// UpstreamChecker is implemented by kinds whose config must agree with
// the stages they read: a stats stage's tier must be one its cost stage
// prices. The engine calls it at validate and plan time with the stage's
// own config and those of the stages it depends on; the paths of the
// violations are relative to the stage's own body.
type UpstreamChecker interface {
	CheckUpstream(config cty.Value, upstream []Upstream, workspace string) []*schema.PathError
}
