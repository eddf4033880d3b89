package benchmark

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/tr119/tr119/artifacts"
	"github.com/tr119/tr119/backends"
	"github.com/tr119/tr119/engine"
	"github.com/tr119/tr119/stages/benchmark/benchmarktest"
)

const fakeBody = `
backend     = "fake"
model       = model
scenarios   = [scenario.single_short, scenario.batch_short]
repetitions = 3
warmups     = 1
timeout     = "200ms"
`

// runTable runs the kind and reads its runs table back.
func runTable(t *testing.T, k *Kind, body, ckpt string) (arrow.Table, *engine.Result) {
	t.Helper()
	r, _ := newRun(t, decodeBody(t, body, fakeArtifact(t.TempDir())), ckpt)
	res, err := k.Run(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	tbl := benchmarktest.Output(t, r, res, "runs")
	return tbl, res
}

func col[T any](t *testing.T, tbl arrow.Table, name string, get func(arrow.Table, string) ([]T, []bool, error)) []T {
	t.Helper()
	v, _, err := get(tbl, name)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestTokenAccounting: prefill counts batch x padded seq_len, generate and
// decode count tokens produced (the report's section 2.3); rows are one
// per repetition x prompt, warmups flagged, the first cell repeated as
// the drift check.
func TestTokenAccounting(t *testing.T) {
	tbl, res := runTable(t, fakeKind(&fakeBackend{}), fakeBody, "")
	modes := col(t, tbl, artifacts.ColMode, artifacts.StringCol)
	scen := col(t, tbl, artifacts.ColScenario, artifacts.StringCol)
	tokens := col(t, tbl, artifacts.ColTokens, artifacts.Int64Col)
	seq := col(t, tbl, artifacts.ColSeqLen, artifacts.Int64Col)
	warm := col(t, tbl, artifacts.ColWarmup, artifacts.BoolCol)
	drift := col(t, tbl, artifacts.ColDriftCheck, artifacts.BoolCol)
	status := col(t, tbl, artifacts.ColStatus, artifacts.StringCol)
	// 2 scenarios x 3 modes, + drift cell, each (1 warmup + 3 reps) x 2 prompts.
	if n := len(modes); n != 7*4*2 {
		t.Fatalf("%d rows, want 56", n)
	}
	want := map[string]int64{ // scenario/mode -> tokens per call
		"single_short/prefill": 11, "single_short/generate": 8, "single_short/decode": 8,
		"batch_short/prefill": 44, "batch_short/generate": 32, "batch_short/decode": 32,
	}
	var nWarm, nDrift int
	for i := range modes {
		if got := tokens[i]; got != want[scen[i]+"/"+modes[i]] {
			t.Errorf("row %d %s/%s: tokens %d, want %d", i, scen[i], modes[i], got, want[scen[i]+"/"+modes[i]])
		}
		if seq[i] != 11 || status[i] != artifacts.StatusOK {
			t.Errorf("row %d: seq_len %d status %s", i, seq[i], status[i])
		}
		if warm[i] {
			nWarm++
		}
		if drift[i] {
			nDrift++
		}
	}
	if nWarm != 7*2 || nDrift != 8 {
		t.Errorf("warmup rows %d (want 14), drift rows %d (want 8)", nWarm, nDrift)
	}
	for _, d := range artifacts.Domains {
		src := col(t, tbl, artifacts.DomainCol(d, artifacts.SufSource), artifacts.StringCol)
		if slices.ContainsFunc(src, func(s string) bool { return s != artifacts.SourceUnavailable }) {
			t.Errorf("%s: a source other than unavailable on a machine without energy domains", d)
		}
	}
	calls := col(t, tbl, artifacts.ColWindowCalls, artifacts.Int64Col)
	if slices.ContainsFunc(calls, func(n int64) bool { return n != 1 }) {
		t.Error("window_calls other than 1 without an energy domain")
	}
	if res.Environment["cell_order"] == "" || res.Environment["environment_id"] == "" {
		t.Errorf("environment misses cell_order or id: %v", res.Environment)
	}
}

// TestDegradedRuns: errors, timeouts, NaN logits and empty generations
// degrade their row with a reason, and the stage still finishes.
func TestDegradedRuns(t *testing.T) {
	tests := []struct {
		name   string
		call   fakeCall
		reason string
	}{
		{"error", fakeCall{err: errors.New("kernel failed")}, "kernel failed"},
		{"timeout", fakeCall{stall: true}, "timeout after 200ms"},
		{"nan", fakeCall{nan: true}, "NaN"},
		{"no tokens", fakeCall{noTokens: true}, "no tokens generated"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &fakeBackend{behave: func(n int64, m backends.Mode) fakeCall {
				if m == backends.Generate && n%4 == 0 {
					return tt.call
				}
				return fakeCall{}
			}}
			tbl, _ := runTable(t, fakeKind(f), fakeBody, "")
			status := col(t, tbl, artifacts.ColStatus, artifacts.StringCol)
			reason := col(t, tbl, artifacts.ColStatusReason, artifacts.StringCol)
			modes := col(t, tbl, artifacts.ColMode, artifacts.StringCol)
			var degraded int
			for i := range status {
				if status[i] == artifacts.StatusDegraded {
					degraded++
					if modes[i] != "generate" || !strings.Contains(reason[i], tt.reason) {
						t.Errorf("row %d (%s) degraded for %q, want %q", i, modes[i], reason[i], tt.reason)
					}
				}
			}
			if degraded == 0 {
				t.Error("no degraded row")
			}
		})
	}
}

func TestOrderFromSeed(t *testing.T) {
	order := func(seed int) string {
		body := fakeBody + fmt.Sprintf("seed = %d\n", seed)
		_, res := runTable(t, fakeKind(&fakeBackend{}), body, "")
		return res.Environment["cell_order"]
	}
	a, b, c := order(1), order(1), order(2)
	if a != b {
		t.Errorf("same seed, different orders: %s vs %s", a, b)
	}
	if a == c {
		t.Errorf("seeds 1 and 2 give the same order %s", a)
	}
	if n := len(strings.Split(a, ",")); n != 6 {
		t.Errorf("order %q has %d cells, want 6", a, n)
	}
}

// TestCheckpointResume: a stage interrupted after some cells resumes from
// its checkpoint and measures only the cells it had not finished.
func TestCheckpointResume(t *testing.T) {
	ckpt := t.TempDir()
	perCell := int64(4 * 2) // (1 warmup + 3 reps) x 2 prompts
	f := &fakeBackend{}
	f.behave = func(n int64, m backends.Mode) fakeCall {
		if n == 2*perCell+1 { // first call of the third cell: interrupt
			return fakeCall{stall: true}
		}
		return fakeCall{}
	}
	ctx, cancel := context.WithCancel(context.Background())
	r, _ := newRun(t, decodeBody(t, fakeBody, fakeArtifact(t.TempDir())), ckpt)
	k := fakeKind(f)
	stop := f.behave
	f.behave = func(n int64, m backends.Mode) fakeCall {
		c := stop(n, m)
		if c.stall {
			cancel()
		}
		return c
	}
	if _, err := k.Run(ctx, r); err == nil {
		t.Fatal("interrupted run succeeded")
	}
	first := f.calls.Load()
	f2 := &fakeBackend{}
	tbl, _ := runTable(t, fakeKind(f2), fakeBody, ckpt)
	if got, want := f2.calls.Load(), 7*perCell-2*perCell; got != want {
		t.Errorf("resumed run made %d calls, want %d (first run made %d)", got, want, first)
	}
	if tbl.NumRows() != 7*perCell {
		t.Errorf("%d rows, want %d", tbl.NumRows(), 7*perCell)
	}
}

func TestOptionalUnavailable(t *testing.T) {
	f := &fakeBackend{openErr: errors.New("Failed to load library libonnxruntime_providers_cuda.so")}
	body := strings.Replace(fakeBody, `backend     = "fake"`, "backend = \"fake\"\ndevice = \"cuda\"\noptional = true", 1)
	r, _ := newRun(t, decodeBody(t, body, fakeArtifact(t.TempDir())), "")
	res, err := fakeKind(f).Run(context.Background(), r)
	if err != nil || !strings.Contains(res.Unavailable, "Failed to load library") {
		t.Fatalf("optional: %+v, %v", res, err)
	}
	r, _ = newRun(t, decodeBody(t, strings.Replace(body, "optional = true", "", 1), fakeArtifact(t.TempDir())), "")
	if _, err := fakeKind(f).Run(context.Background(), r); err == nil {
		t.Fatal("required provider that cannot load did not fail the stage")
	}
}

func TestConfigErrors(t *testing.T) {
	tests := []struct{ extra, want string }{
		{`device = "tpu"`, "device"},
		{`modes = ["prefill", "train"]`, "modes"},
		{`modes = ["prefill", "prefill"]`, "twice"},
		{`min_energy_window = "soon"`, "min_energy_window"},
		{`max_new_tokens = 0`, "max_new_tokens"},
		{`max_seq_len = 1.5`, "whole number"},
		{`backend = "onnxruntim"`, `Did you mean "onnxruntime"?`},
		{`backend = "vllm"`, `"vllm" is not one of "fake", "onnxruntime"`},
		{`onnxruntime {}`, `this stage has backend = "fake"`},
		{`label = "` + strings.Repeat("x", 5000) + `"`, "label is 5000 characters long; at most 200"},
		{`modes = ["decoding"]`, `"decoding" is not one of "prefill", "generate", "decode"`},
		{`modes = []`, "modes needs at least 1 element"},
		{`scenarios = []`, "scenarios needs at least 1 element"},
		{`repetitions = 0`, "0 is below the minimum of 1"},
		{`repetitions = -3`, "-3 is below the minimum of 1"},
		{`repetitions = 2.5`, "2.5 is not a whole number"},
		{`repetitions = 1e400`, "above the maximum"},
		{"device = \"cuda\"\nonnxruntime {}", `this stage has backend = "fake"`},
		{"backend = \"onnxruntime\"\nonnxruntime { provider = \"cuda\" }", `onnxruntime.provider "cuda" does not run on device "cpu"`},
		{`device = "tpu"`, `device "tpu": want cpu, cuda or cuda:N`},
	}
	for _, tt := range tests {
		// An attribute fakeBody sets is replaced, others are added.
		var lines []string
		name := strings.Fields(tt.extra)[0]
		for _, l := range strings.Split(fakeBody, "\n") {
			if f := strings.Fields(l); len(f) == 0 || f[0] != name {
				lines = append(lines, l)
			}
		}
		body := strings.Join(lines, "\n") + tt.extra + "\n"
		v := decodeBody(t, body, fakeArtifact(t.TempDir()))
		if _, err := parseConfig(v, testBackends(), "test"); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err %v, want one mentioning %q", tt.extra, err, tt.want)
		}
	}
}

func TestResources(t *testing.T) {
	v := decodeBody(t, fakeBody+"device = \"cuda:1\"\n", fakeArtifact(t.TempDir()))
	got := (&Kind{}).Resources(v)
	if !got.Host || !slices.Equal(got.Devices, []string{"cpu", "cuda:1"}) {
		t.Errorf("resources %+v", got)
	}
}
