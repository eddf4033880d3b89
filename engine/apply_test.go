package engine

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

const chainHCL = `
variable "greeting" {
  type    = string
  default = "hello"
}

stage "echo" "a" {
  text = var.greeting
  note = "n1"
}

stage "echo" "b" {
  text   = "b:"
  inputs = [stage.echo.a.out]
}

stage "echo" "c" {
  text = "independent"
}
`

func TestApplyTwiceRunsNothing(t *testing.T) {
	h := newHarness(t)
	h.write(chainHCL)
	p := h.load()
	if got, want := actions(h.plan(p)), "stage.echo.a=run\nstage.echo.b=run\nstage.echo.c=run"; got != want {
		t.Fatalf("first plan:\n%s\nwant\n%s", got, want)
	}
	out := h.apply(p)
	if out.Count(StatusExecuted) != 3 {
		t.Fatalf("first apply: %s", statuses(out))
	}
	b := out.Stages[1].Artifacts["out"]
	if data, _ := os.ReadFile(b.Path); string(data) != "b:hello" {
		t.Fatalf("b's output = %q", data)
	}
	p = h.load()
	if got := actions(h.plan(p)); strings.Count(got, "=cached") != 3 {
		t.Fatalf("second plan:\n%s", got)
	}
	out = h.apply(p)
	if out.Count(StatusCached) != 3 || h.echo.runs.Load() != 3 {
		t.Fatalf("second apply ran something: %s (runs %d)", statuses(out), h.echo.runs.Load())
	}
}

func TestPlanReasons(t *testing.T) {
	h := newHarness(t)
	h.write(chainHCL)
	h.apply(h.load())
	plan := h.plan(h.load(VarArg{Name: "greeting", Value: "bye"}))
	a, b, c := plan.Stage("stage.echo.a"), plan.Stage("stage.echo.b"), plan.Stage("stage.echo.c")
	if a.Action != ActionRerun || !slices.Equal(a.Reasons, []string{`text: "hello" -> "bye"`}) {
		t.Errorf("a: %s %q", a.Action, a.Reasons)
	}
	if b.Action != ActionRerun || !slices.Equal(b.Reasons, []string{"upstream stage.echo.a will run"}) || b.Key != nil {
		t.Errorf("b: %s %q", b.Action, b.Reasons)
	}
	if c.Action != ActionCached {
		t.Errorf("c: %s", c.Action)
	}
	h.apply(h.load(VarArg{Name: "greeting", Value: "bye"}))
	// Going back to the first value finds both earlier results cached.
	if got := actions(h.plan(h.load())); strings.Count(got, "=cached") != 3 {
		t.Errorf("after revert:\n%s", got)
	}
}

// An upstream stage whose config changes but whose output does not
// stops the cascade: its dependents stay cached.
func TestUnchangedOutputStopsCascade(t *testing.T) {
	h := newHarness(t)
	h.write(chainHCL)
	h.apply(h.load())
	h.write(strings.Replace(chainHCL, `"n1"`, `"n2"`, 1))
	out := h.apply(h.load())
	if got, want := statuses(out), "stage.echo.a=executed\nstage.echo.b=cached\nstage.echo.c=cached"; got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
}

func TestFailureStopsDependentsOnly(t *testing.T) {
	h := newHarness(t)
	h.write(strings.Replace(chainHCL, `note = "n1"`, `fail = true`, 1))
	out := h.apply(h.load())
	if got, want := statuses(out), "stage.echo.a=failed\nstage.echo.b=skipped\nstage.echo.c=executed"; got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	if out.Err() == nil || !strings.Contains(out.Err().Error(), "stage.echo.a: asked to fail") {
		t.Fatalf("Err() = %v", out.Err())
	}
	if a := h.plan(h.load()).Stage("stage.echo.a"); a.Action != ActionRun {
		t.Fatalf("failed stage was cached or recorded: %s", a.Action)
	}
}

func TestUnavailableIsNotCached(t *testing.T) {
	h := newHarness(t)
	h.write(strings.Replace(chainHCL, `note = "n1"`, `unavailable = "no gpu here"`, 1))
	out := h.apply(h.load())
	if got, want := statuses(out), "stage.echo.a=unavailable\nstage.echo.b=executed\nstage.echo.c=executed"; got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	if data, _ := os.ReadFile(out.Stages[1].Artifacts["out"].Path); string(data) != "b:[unavailable: no gpu here]" {
		t.Fatalf("b saw %q", data)
	}
	a := h.plan(h.load()).Stage("stage.echo.a")
	if a.Action != ActionRerun || !slices.Equal(a.Reasons, []string{"was unavailable: no gpu here"}) {
		t.Fatalf("a: %s %q", a.Action, a.Reasons)
	}
}

func TestReplaceAndTarget(t *testing.T) {
	h := newHarness(t)
	h.write(chainHCL)
	h.apply(h.load())
	h.opts.Replace = []string{"stage.echo.a"}
	out := h.apply(h.load())
	// a reruns with identical output, so b stays cached.
	if got, want := statuses(out), "stage.echo.a=executed\nstage.echo.b=cached\nstage.echo.c=cached"; got != want {
		t.Fatalf("replace: got\n%s\nwant\n%s", got, want)
	}
	h.opts.Replace = nil
	h.opts.Target = []string{"stage.echo.b"}
	if got, want := actions(h.plan(h.load())), "stage.echo.a=cached\nstage.echo.b=cached"; got != want {
		t.Fatalf("target: got\n%s\nwant\n%s", got, want)
	}
	h.opts.Target = []string{"stage.echo.nope"}
	if _, err := MakePlan(context.Background(), h.load(), h.opts); err == nil {
		t.Fatal("unknown target accepted")
	}
}

func TestHostStageRunsAlone(t *testing.T) {
	h := newHarness(t)
	var src strings.Builder
	for _, n := range []string{"a", "b", "c", "d", "e", "f"} {
		src.WriteString(`stage "echo" "` + n + `" {
  text = "` + n + `"
}
stage "measure" "` + n + `" {
  text = "` + n + `"
}
`)
	}
	h.write(src.String())
	out := h.apply(h.load())
	if out.Count(StatusExecuted) != 12 {
		t.Fatalf("%s", statuses(out))
	}
	if h.measure.maxOverlap != 0 {
		t.Fatalf("a host stage ran beside %d others", h.measure.maxOverlap)
	}
}

func TestCancelLeavesNothingCached(t *testing.T) {
	h := newHarness(t)
	h.write(`
stage "echo" "slow" {
  sleep = "1m"
}
stage "echo" "after" {
  inputs = [stage.echo.slow.out]
}
`)
	p := h.load()
	ctx, cancel := context.WithCancel(context.Background())
	h.opts.OnEvent = func(e Event) {
		if e.Type == EventStart {
			go func() { time.Sleep(20 * time.Millisecond); cancel() }()
		}
	}
	out, err := Apply(ctx, p, h.plan(p), h.opts)
	if err == nil {
		t.Fatal("no error after cancel")
	}
	if got, want := statuses(out), "stage.echo.slow=cancelled\nstage.echo.after=skipped"; got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	if ents, _ := os.ReadDir(h.opts.TempDir); len(ents) != 0 {
		t.Fatalf("temp files left: %v", ents)
	}
	slow := h.plan(h.load()).Stage("stage.echo.slow")
	if slow.Action != ActionRun {
		t.Fatalf("cancelled stage: %s", slow.Action)
	}
	cp := h.opts.Store.CheckpointDir(slow.Key.ID)
	if _, err := os.Stat(filepath.Join(cp, "started")); err != nil {
		t.Fatalf("checkpoint not kept for the next run: %v", err)
	}
}

func TestMeasuredElsewhereWarns(t *testing.T) {
	h := newHarness(t)
	h.write(`
stage "measure" "m" {
  text = "x"
}
`)
	h.apply(h.load())
	h.opts.Machine.CPU = "other cpu"
	m := h.plan(h.load()).Stage("stage.measure.m")
	want := []string{`measured on another machine: cpu "test cpu" -> "other cpu"`}
	if m.Action != ActionCached || !slices.Equal(m.Warnings, want) {
		t.Fatalf("%s %q", m.Action, m.Warnings)
	}
}

func TestEventsInOrder(t *testing.T) {
	h := newHarness(t)
	h.write(`
stage "echo" "a" {
  text = "x"
}
`)
	h.apply(h.load())
	var types []string
	for _, e := range h.events {
		types = append(types, e.Type+":"+e.Status)
	}
	if got, want := strings.Join(types, " "), "start: progress: end:executed"; got != want {
		t.Fatalf("events %q, want %q", got, want)
	}
}

func TestPanickingKindFailsTheStage(t *testing.T) {
	h := newHarness(t)
	h.write(`
stage "echo" "bad" {
  panic = true
}
stage "echo" "good" {
  text = "fine"
}
`)
	out := h.apply(h.load())
	if got, want := statuses(out), "stage.echo.bad=failed\nstage.echo.good=executed"; got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	if err := out.Err(); err == nil || !strings.Contains(err.Error(), "panic: kind bug") {
		t.Fatalf("Err() = %v", err)
	}
}

func TestDeviceStagesTakeTurns(t *testing.T) {
	h := newHarness(t)
	var src strings.Builder
	for _, n := range []string{"a", "b", "c", "d"} {
		for _, dev := range []string{"cuda0", "cpu"} {
			src.WriteString(`stage "echo" "` + n + dev + `" {
  text   = "` + n + `"
  device = "` + dev + `"
}
`)
		}
	}
	h.write(src.String())
	if out := h.apply(h.load()); out.Count(StatusExecuted) != 8 {
		t.Fatalf("%s", statuses(out))
	}
	if h.echo.devMax["cuda0"] != 1 || h.echo.devMax["cpu"] != 1 {
		t.Fatalf("stages shared a device: %v", h.echo.devMax)
	}
}

func TestMissingUpstreamOutputFails(t *testing.T) {
	h := newHarness(t)
	h.write(`
stage "echo" "a" {
  text = "no tree"
}
stage "echo" "b" {
  inputs = [stage.echo.a.tree]
}
`)
	out := h.apply(h.load())
	if got, want := statuses(out), "stage.echo.a=executed\nstage.echo.b=failed"; got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	if err := out.Err(); err == nil || !strings.Contains(err.Error(), "inputs[0] still unknown") {
		t.Fatalf("Err() = %v", err)
	}
}

// A stage below a stale one names its own changed attributes beside the
// upstream that will run.
func TestPlanReasonsBelowStaleStage(t *testing.T) {
	h := newHarness(t)
	h.write(chainHCL)
	h.apply(h.load())
	h.write(strings.Replace(chainHCL, `text   = "b:"`, `text   = "B:"`, 1))
	plan := h.plan(h.load(VarArg{Name: "greeting", Value: "bye"}))
	b := plan.Stage("stage.echo.b")
	want := []string{"upstream stage.echo.a will run", `text: "b:" -> "B:"`}
	if b.Action != ActionRerun || !slices.Equal(b.Reasons, want) {
		t.Errorf("b: %s %q, want %q", b.Action, b.Reasons, want)
	}
}
