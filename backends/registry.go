package backends

import (
	"fmt"
	"log/slog"
	"sort"

	"github.com/zclconf/go-cty/cty"

	"github.com/tr119/tr119/schema"
)

// Registration is one backend plug-in of the benchmark stage. A benchmark
// stage names it with `backend = "NAME"` and configures it in a nested
// block of the same name:
//
//	stage "benchmark" "cpu" {
//	  backend = "onnxruntime"
//	  model   = stage.model.gpt2.onnx
//	  onnxruntime {
//	    version = "1.29.0"   # declared runtime: in the key, checked at run time
//	    intra_op_threads = 4
//	  }
//	}
//
// The stage's measuring core never names a backend: it decodes the
// selected backend's block with Schema, fills its defaults, hands it to
// New, and records what the opened model reports (LoadStats).
//
// Rules every backend follows (docs/benchmark.md, "Backends"):
//   - The runtime is declared, not discovered: the block declares the
//     runtime's identity (versions, implementation) as attributes with
//     defaults; they enter the action key. Open checks the runtime it finds
//     against the declaration before measuring and fails naming both.
//   - Locations (library, interpreter) are settings, read from
//     Config.Settings: never in the block, never in the key; the opened
//     model reports them in LoadStats.Locations and the file hashes in
//     LoadStats.Runtime.
//   - Fingerprint describes the runtime a run would find now without
//     loading it, so plan can warn when it differs from a recorded one.
type Registration struct {
	// Name is the `backend` value and the nested block's type, e.g.
	// "onnxruntime", "torch".
	Name string
	// Doc is a one-line description for `tr119 kinds benchmark` and docs.
	Doc string
	// Format is the model stage output the backend reads
	// (docs/model-folder.md): "onnx" (graphs and their weights) or "hf"
	// (config.json + model.safetensors).
	Format string
	// Files are the files Open needs in the model folder; the stage checks
	// them first so a wrong model output is a clear error.
	Files []string
	// Schema is the nested block's schema. Every attribute must have a
	// default or be optional: an absent block means "all defaults". Mark
	// the declared runtime identity (version, implementation) with
	// defaults, never locations. Attributes are checked at validate time.
	Schema *schema.Body
	// Check, when set, is a cross-field check of the block against the
	// stage's device ("cpu", "cuda:N"), run at validate time where both
	// are known (e.g. a CUDA provider on the cpu device). Its error is
	// reported at the block.
	Check func(block cty.Value, device string) error
	// Settings documents the tool settings the backend reads
	// (`-setting NAME=VALUE`, the pipeline's settings block), e.g.
	// "onnxruntime_library": where the runtime is.
	Settings map[string]string
	// New configures the backend for one stage run.
	New func(c Config) (Backend, error)
	// Fingerprint returns the LoadStats.Runtime entries that identify the
	// runtime a run would find now (e.g. "library_sha256"), without
	// loading it; nil when none is found (plan must work on a machine
	// with no runtime installed). It may be nil.
	Fingerprint func(f FingerprintRequest) map[string]string
}

// Config is what Registration.New receives for one stage run.
type Config struct {
	// Block is the nested block's value, an object with every attribute
	// of Schema, defaults filled in.
	Block cty.Value
	// Device is "cpu" or "cuda:N"; DeviceID is N.
	Device   string
	DeviceID int
	// Settings are the tool settings (locations): flag > environment >
	// the pipeline's settings block.
	Settings map[string]string
	// Workspace is the folder holding the pipeline.
	Workspace string
	// Log is the stage's logger.
	Log *slog.Logger
}

// FingerprintRequest is what Registration.Fingerprint receives.
type FingerprintRequest struct {
	// Settings and Workspace as in Config.
	Settings  map[string]string
	Workspace string
	// Hash returns a file's SHA-256 (hex), memoised by the caller.
	Hash func(path string) (string, error)
}

// Registry holds the backends a benchmark stage may use. It is built by
// the program (stages/all) and passed in: there are no package globals.
type Registry struct {
	byName map[string]Registration
}

// NewRegistry returns a registry holding regs. A registration without a
// name or New, or a name given twice, is a programming error and panics.
func NewRegistry(regs ...Registration) *Registry {
	r := &Registry{byName: map[string]Registration{}}
	for _, reg := range regs {
		r.Register(reg)
	}
	return r
}

// Register adds a backend; see NewRegistry.
func (r *Registry) Register(reg Registration) {
	if reg.Name == "" || reg.New == nil || reg.Schema == nil {
		panic(fmt.Sprintf("backends: registration %q needs a name, a schema and New", reg.Name))
	}
	if _, dup := r.byName[reg.Name]; dup {
		panic(fmt.Sprintf("backends: backend %q registered twice", reg.Name))
	}
	r.byName[reg.Name] = reg
}

// Lookup returns the backend called name.
func (r *Registry) Lookup(name string) (Registration, bool) {
	reg, ok := r.byName[name]
	return reg, ok
}

// Names returns the registered backend names, sorted.
func (r *Registry) Names() []string {
	out := make([]string, 0, len(r.byName))
	for n := range r.byName {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Fingerprints returns the runtime every backend would find now, as
// environment entries "<backend>.<key>" (the keys the benchmark stage
// records), for plan to compare with recorded measurements.
func (r *Registry) Fingerprints(f FingerprintRequest) map[string]string {
	out := map[string]string{}
	for _, n := range r.Names() {
		reg := r.byName[n]
		if reg.Fingerprint == nil {
			continue
		}
		for k, v := range reg.Fingerprint(f) {
			out[n+"."+k] = v
		}
	}
	return out
}

// Settings returns every tool setting the registered backends read, with
// its documentation (for `-setting` checks and help).
func (r *Registry) Settings() map[string]string {
	out := map[string]string{}
	for _, reg := range r.byName {
		for k, v := range reg.Settings {
			out[k] = v
		}
	}
	return out
}
