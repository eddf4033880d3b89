package artifacts

import (
	"sort"

	"github.com/apache/arrow-go/v18/arrow"
)

// schemas maps a table contract version ("runs/v1") to the function that
// builds its schema. It is filled only by registerSchema calls in init
// functions of this package, and read-only afterwards.
var schemas = map[string]func() *arrow.Schema{}

func init() {
	registerSchema(RunsVersion, RunsSchema)
}

// registerSchema adds a named table contract; it is called from init
// functions of this package only (analysis tables add theirs the same
// way). A version registered twice is a programming error.
func registerSchema(version string, fn func() *arrow.Schema) {
	if _, dup := schemas[version]; dup {
		panic("artifacts: schema " + version + " registered twice")
	}
	schemas[version] = fn
}

// LookupSchema returns the schema of a named table contract, e.g.
// "runs/v1". Each call returns a fresh schema.
func LookupSchema(version string) (*arrow.Schema, bool) {
	fn, ok := schemas[version]
	if !ok {
		return nil, false
	}
	return fn(), true
}

// SchemaVersions returns the names of every known table contract, sorted.
func SchemaVersions() []string {
	out := make([]string, 0, len(schemas))
	for v := range schemas {
		out = append(out, v)
	}
	sort.Strings(out)
	return out
}

// RequiredColumns returns the names of the non-nullable columns of s, in
// schema order: an imported file must have them all.
func RequiredColumns(s *arrow.Schema) []string {
	var out []string
	for _, f := range s.Fields() {
		if !f.Nullable {
			out = append(out, f.Name)
		}
	}
	return out
}
