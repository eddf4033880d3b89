package engine

import (
	"fmt"
	"sort"

	"github.com/tr119/tr119/schema"
)

// BlockKind is a plain data block kind such as "scenario": a block
// `scenario "NAME" { ... }` is decoded with Schema().Spec(), checked against
// the schema, and evaluates to an object
// (with an extra "name" attribute holding NAME) that expressions reference
// as scenario.NAME. Data blocks are not stages: they produce no artifacts.
type BlockKind interface {
	// BlockName is the block type, e.g. "scenario".
	BlockName() string
	// Schema describes the block body.
	Schema() *schema.Body
}

// Registry holds the stage kinds and data block kinds a pipeline may use.
type Registry struct {
	kinds    map[string]Kind
	blocks   map[string]BlockKind
	settings map[string]string // declared tool settings: name -> doc (settings.go)
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{kinds: map[string]Kind{}, blocks: map[string]BlockKind{}}
}

// Register adds a stage kind; registering a name twice panics, as it is a
// programming error.
func (r *Registry) Register(k Kind) {
	name := k.Info().Name
	if _, dup := r.kinds[name]; dup {
		panic(fmt.Sprintf("engine: stage kind %q registered twice", name))
	}
	r.kinds[name] = k
}

// RegisterBlock adds a data block kind.
func (r *Registry) RegisterBlock(b BlockKind) {
	name := b.BlockName()
	if _, dup := r.blocks[name]; dup {
		panic(fmt.Sprintf("engine: block kind %q registered twice", name))
	}
	r.blocks[name] = b
}

// Kind returns the stage kind called name.
func (r *Registry) Kind(name string) (Kind, bool) {
	k, ok := r.kinds[name]
	return k, ok
}

// Block returns the data block kind called name.
func (r *Registry) Block(name string) (BlockKind, bool) {
	b, ok := r.blocks[name]
	return b, ok
}

// KindNames returns the registered stage kind names, sorted.
func (r *Registry) KindNames() []string { return sortedKeys(r.kinds) }

// BlockNames returns the registered data block kind names, sorted.
func (r *Registry) BlockNames() []string { return sortedKeys(r.blocks) }

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
