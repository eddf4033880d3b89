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
	for version, fn := range map[string]func() *arrow.Schema{
		RunsVersion:          RunsSchema,
		RunsV1Version:        RunsV1Schema,
		CostCellsVersion:     CostCellsSchema,
		CostTiersVersion:     CostTiersSchema,
		CostSummaryVersion:   CostSummarySchema,
		CostWinnersVersion:   CostWinnersSchema,
		CostRequestsVersion:  CostRequestsSchema,
		CostTCOVersion:       CostTCOSchema,
		CostSavingsVersion:   CostSavingsSchema,
		CostRepsVersion:      CostRepsSchema,
		StatsCellsVersion:    StatsCellsSchema,
		StatsGroupsVersion:   StatsGroupsSchema,
		StatsTestsVersion:    StatsTestsSchema,
		StatsPairwiseVersion: StatsPairwiseSchema,
		ValidationVersion:    ValidationSchema,
	} {
		registerSchema(version, fn)
	}
}

// registerSchema adds a named table contract; it is called from init
// functions of this package only (a new table adds its line above, or
// calls it from its own file's init). Registering the same schema twice
// is harmless; two different schemas under one version, or a schema whose
// metadata names another version, is a programming error.
func registerSchema(version string, fn func() *arrow.Schema) {
	s := fn()
	if got := SchemaVersion(s); got != version {
		panic("artifacts: schema registered as " + version + " says " + got)
	}
	if old, dup := schemas[version]; dup {
		if !old().Equal(s) {
			panic("artifacts: two different schemas registered as " + version)
		}
		return
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
