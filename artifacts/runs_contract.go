package artifacts

import (
	"fmt"
	"hash/maphash"
	"math"
	"slices"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// MaxRunsMagnitude bounds every float of a runs table: a larger value is
// no measurement (a latency of 1e15 ms is 31,000 years), and products of
// such values overflow to infinity in the analyses.
const MaxRunsMagnitude = 1e15

// valueRule finds the first non-null value of a column that breaks a
// rule: its row, and what is wrong with it (the caller adds where); -1
// when every value is fine. Rules scan a whole column at a time, so a
// million-row import stays cheap.
type valueRule func(a arrow.Array) (int, error)

// runsRules are the runs table contract's per-value rules beyond types
// and nullability (docs/runs-table.md), by column. Float columns without
// a rule here are only bounded by MaxRunsMagnitude.
func runsRules() map[string]valueRule {
	r := map[string]valueRule{
		ColRunID:         nonEmpty,
		ColBackend:       nonEmpty,
		ColRuntime:       nonEmpty,
		ColDevice:        nonEmpty,
		ColDeviceClass:   oneOf("cpu", "gpu"),
		ColModel:         nonEmpty,
		ColScenario:      nonEmpty,
		ColMode:          oneOf(ModePrefill, ModeGenerate, ModeDecode),
		ColBatchSize:     intAtLeast(1),
		ColSeqLen:        intAtLeast(0),
		ColRepetition:    intAtLeast(0), // the benchmark counts from 1; other tools from 0
		ColPromptIndex:   intAtLeast(0),
		ColStatus:        oneOf(StatusOK, StatusDegraded),
		ColLatencyMS:     floatIn(0, MaxRunsMagnitude),
		ColTokens:        intAtLeast(0),
		ColThroughput:    floatIn(0, MaxRunsMagnitude),
		ColTTFTMS:        floatIn(0, MaxRunsMagnitude),
		ColITLMeanMS:     floatIn(0, MaxRunsMagnitude),
		ColITLP50MS:      floatIn(0, MaxRunsMagnitude),
		ColITLP99MS:      floatIn(0, MaxRunsMagnitude),
		ColWindowCalls:   intAtLeast(0),
		ColWindowMS:      floatIn(0, MaxRunsMagnitude),
		ColPeakRSSBytes:  intAtLeast(0),
		ColProcessCPUS:   floatIn(0, MaxRunsMagnitude),
		ColSystemCPUUtil: floatIn(0, 1),
	}
	for _, d := range Domains {
		r[DomainCol(d, SufEnergyJ)] = floatIn(0, MaxRunsMagnitude)
		// Active energy is not clamped at 0 (see the contract).
		r[DomainCol(d, SufEnergyActiveJ)] = floatIn(-MaxRunsMagnitude, MaxRunsMagnitude)
		r[DomainCol(d, SufPowerW)] = floatIn(0, MaxRunsMagnitude)
		r[DomainCol(d, SufSamples)] = intAtLeast(0)
		r[DomainCol(d, SufSource)] = oneOf(SourceCounter, SourceSamples, SourceModeled, SourceUnavailable)
		r[DomainCol(d, SufIdlePowerW)] = floatIn(0, MaxRunsMagnitude)
	}
	return r
}

func nonEmpty(a arrow.Array) (int, error) {
	x, ok := a.(*array.String)
	if !ok {
		return -1, nil
	}
	for i := range x.Len() {
		if x.IsValid(i) && strings.TrimSpace(x.Value(i)) == "" {
			return i, fmt.Errorf("must not be empty")
		}
	}
	return -1, nil
}

func oneOf(values ...string) valueRule {
	return func(a arrow.Array) (int, error) {
		x, ok := a.(*array.String)
		if !ok {
			return -1, nil
		}
		for i := range x.Len() {
			if x.IsValid(i) && !slices.Contains(values, x.Value(i)) {
				return i, fmt.Errorf("%q is not one of %s", x.Value(i), strings.Join(values, ", "))
			}
		}
		return -1, nil
	}
}

func intAtLeast(least int64) valueRule {
	return func(a arrow.Array) (int, error) {
		x, ok := a.(*array.Int64)
		if !ok {
			return -1, nil
		}
		for i, v := range x.Int64Values() {
			if v < least && x.IsValid(i) {
				return i, fmt.Errorf("%d is below %d", v, least)
			}
		}
		return -1, nil
	}
}

func floatIn(lo, hi float64) valueRule {
	return func(a arrow.Array) (int, error) {
		x, ok := a.(*array.Float64)
		if !ok {
			return -1, nil
		}
		for i, v := range x.Float64Values() {
			if v >= lo && v <= hi || !x.IsValid(i) { // NaN fails both comparisons
				continue
			}
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return i, fmt.Errorf("%v is not a finite number", v)
			}
			return i, fmt.Errorf("%s is outside %s to %s", FormatFloat(v), FormatFloat(lo), FormatFloat(hi))
		}
		return -1, nil
	}
}

// rowChecker enforces a table contract's per-row rules on record batches
// as they are read: each value's rule, and that no two rows share a run
// and prompt (run_id, prompt_index).
type rowChecker struct {
	names  []string
	rules  []valueRule // per column of the checked schema, nil: none
	runID  int         // column index, -1 when absent
	prompt int
	seeds  [2]maphash.Seed
	seen   map[[2]uint64]int // a 128-bit hash of (run_id, prompt_index) -> its row's number
}

// newRowChecker returns the checker of schema's contract, or nil when the
// contract has no row rules (only runs/* tables have them).
func newRowChecker(schema *arrow.Schema) *rowChecker {
	if !strings.HasPrefix(SchemaVersion(schema), "runs/") {
		return nil
	}
	rules := runsRules()
	c := &rowChecker{runID: -1, prompt: -1, seen: map[[2]uint64]int{},
		seeds: [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}}
	for i, f := range schema.Fields() {
		c.names = append(c.names, f.Name)
		c.rules = append(c.rules, rules[f.Name])
		switch f.Name {
		case ColRunID:
			c.runID = i
		case ColPromptIndex:
			c.prompt = i
		}
	}
	return c
}

// rowPos names the rows of a batch in messages: by line of a text file
// ("runs.csv:12"), else by number from 1 ("row 12").
type rowPos struct {
	file  string
	lines []int // per row of the batch; nil: rows counted from base
	base  int
}

func (p rowPos) num(i int) int {
	if p.lines != nil {
		return p.lines[i]
	}
	return p.base + i + 1
}

func (p rowPos) name(n int) string {
	if p.lines != nil {
		return fmt.Sprintf("%s:%d", p.file, n)
	}
	return fmt.Sprintf("row %d", n)
}

// batch checks rec's rows: the first bad value (by row, then column),
// then duplicate runs.
func (c *rowChecker) batch(rec arrow.RecordBatch, pos rowPos) error {
	if c == nil {
		return nil
	}
	bad, badErr := -1, error(nil)
	for k, rule := range c.rules {
		if rule == nil {
			continue
		}
		if i, err := rule(rec.Column(k)); err != nil && (bad < 0 || i < bad) {
			bad, badErr = i, fmt.Errorf("%s: column %q: %w", pos.name(pos.num(i)), c.names[k], err)
		}
	}
	if badErr != nil {
		return badErr
	}
	if c.runID < 0 || c.prompt < 0 {
		return nil
	}
	ids, ok1 := rec.Column(c.runID).(*array.String)
	prompts, ok2 := rec.Column(c.prompt).(*array.Int64)
	if !ok1 || !ok2 {
		return nil
	}
	for i := range int(rec.NumRows()) {
		run, prompt := ids.Value(i), prompts.Value(i)
		key := [2]uint64{c.hash(0, run, prompt), c.hash(1, run, prompt)}
		if first, dup := c.seen[key]; dup {
			return fmt.Errorf("%s: run_id %q with prompt_index %d appears twice (first at %s): a run has one row per prompt",
				pos.name(pos.num(i)), run, prompt, pos.name(first))
		}
		c.seen[key] = pos.num(i)
	}
	return nil
}

func (c *rowChecker) hash(k int, run string, prompt int64) uint64 {
	return maphash.Comparable(c.seeds[k], runPrompt{run, prompt})
}

// runPrompt identifies a row of the runs table.
type runPrompt struct {
	run    string
	prompt int64
}
