package artifacts

import (
	"encoding/binary"
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

// valueRule checks one non-null cell; the error says what is wrong with
// the value (the caller adds where).
type valueRule func(a arrow.Array, i int) error

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

func nonEmpty(a arrow.Array, i int) error {
	if s, ok := a.(*array.String); ok && strings.TrimSpace(s.Value(i)) == "" {
		return fmt.Errorf("must not be empty")
	}
	return nil
}

func oneOf(values ...string) valueRule {
	return func(a arrow.Array, i int) error {
		s, ok := a.(*array.String)
		if !ok || slices.Contains(values, s.Value(i)) {
			return nil
		}
		return fmt.Errorf("%q is not one of %s", s.Value(i), strings.Join(values, ", "))
	}
}

func intAtLeast(least int64) valueRule {
	return func(a arrow.Array, i int) error {
		if x, ok := a.(*array.Int64); ok && x.Value(i) < least {
			return fmt.Errorf("%d is below %d", x.Value(i), least)
		}
		return nil
	}
}

func floatIn(lo, hi float64) valueRule {
	return func(a arrow.Array, i int) error {
		x, ok := a.(*array.Float64)
		if !ok {
			return nil
		}
		v := x.Value(i)
		switch {
		case math.IsNaN(v) || math.IsInf(v, 0):
			return fmt.Errorf("%v is not a finite number", v)
		case v < lo || v > hi:
			return fmt.Errorf("%s is outside %s to %s", FormatFloat(v), FormatFloat(lo), FormatFloat(hi))
		}
		return nil
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

// batch checks rec's rows.
func (c *rowChecker) batch(rec arrow.RecordBatch, pos rowPos) error {
	if c == nil {
		return nil
	}
	var ids *array.String
	var prompts *array.Int64
	if c.runID >= 0 && c.prompt >= 0 {
		ids, _ = rec.Column(c.runID).(*array.String)
		prompts, _ = rec.Column(c.prompt).(*array.Int64)
	}
	for i := range int(rec.NumRows()) {
		for k, rule := range c.rules {
			a := rec.Column(k)
			if rule == nil || a.IsNull(i) {
				continue
			}
			if err := rule(a, i); err != nil {
				return fmt.Errorf("%s: column %q: %w", pos.name(pos.num(i)), c.names[k], err)
			}
		}
		if ids == nil || prompts == nil {
			continue
		}
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
	var h maphash.Hash
	h.SetSeed(c.seeds[k])
	h.WriteString(run)
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], uint64(prompt))
	h.Write(b[:])
	return h.Sum64()
}
