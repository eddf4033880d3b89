package engine

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// objectFile is where the harness's cache keeps the blob sha.
func (h *harness) objectFile(sha string) string {
	return filepath.Join(h.dir, ".tr119", "cache", "objects", sha[:2], sha)
}

// output returns a stage's stored output name from an outcome.
func output(t testing.TB, o *Outcome, addr, name string) StoredOutput {
	t.Helper()
	for _, s := range o.Stages {
		if s.Stage.Addr != addr {
			continue
		}
		for _, out := range s.Outputs {
			if out.Name == name {
				return out
			}
		}
	}
	t.Fatalf("%s has no output %s in %s", addr, name, statuses(o))
	return StoredOutput{}
}

// damageObject flips one byte of a stored blob in place, as a write
// through a hard-linked result file would, restoring its mtime.
func damageObject(t testing.TB, p string, off int64) {
	t.Helper()
	st, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	os.Chmod(p, 0o644)
	f, err := os.OpenFile(p, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 1)
	f.ReadAt(b, off)
	b[0] ^= 0x20
	f.WriteAt(b, off)
	f.Close()
	os.Chmod(p, 0o444)
	os.Chtimes(p, st.ModTime(), st.ModTime())
}

// TestDamagedInputNeverRead: a stage about to run never reads a damaged
// cached input, even a large one whose damage no file attribute shows
// (no hash memo here): the input is re-hashed, found damaged, and its
// stage runs again first. (Before: the downstream stage read the
// damaged bytes while its key named the undamaged ones.)
func TestDamagedInputNeverRead(t *testing.T) {
	h := newHarness(t)
	big := strings.Repeat("electricity usd per kwh 0.12\n", 12000) // > 256 KiB
	src := `
stage "echo" "a" {
  text = "` + strings.ReplaceAll(big, "\n", `\n`) + `"
}
stage "echo" "b" {
  text = "%s"
  inputs = [stage.echo.a.out]
}
`
	h.write(strings.Replace(src, "%s", "v1", 1))
	out := h.apply(h.load())
	a := output(t, out, "stage.echo.a", "out")
	damageObject(t, h.objectFile(a.SHA256), 24) // "0.12" -> "0.1\x12"

	h.write(strings.Replace(src, "%s", "v2", 1)) // b must run again
	p := h.load()
	plan := h.plan(p)
	if got := plan.Stage("stage.echo.a"); got.Action == ActionCached {
		t.Fatalf("stage a is cached with a damaged output: %s %q", got.Action, got.Reasons)
	}
	if rs := strings.Join(plan.Stage("stage.echo.a").Reasons, "; "); !strings.Contains(rs, "damaged") {
		t.Errorf("stage a reasons %q do not say its output was damaged", rs)
	}
	out, err := Apply(t.Context(), p, plan, h.opts)
	if err != nil {
		t.Fatal(err)
	}
	b := output(t, out, "stage.echo.b", "out")
	got, err := os.ReadFile(h.objectFile(b.SHA256))
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != "v2"+big {
		t.Errorf("stage b read damaged bytes (%d bytes, differs from the recorded input)", len(got))
	}
}

// TestDamagedMeasurementPlanReason: a measurement whose recorded output
// was damaged must be measured again, and plan says so and why, also on
// a later plan (the damaged bytes stay in the quarantine folder).
func TestDamagedMeasurementPlanReason(t *testing.T) {
	h := newHarness(t)
	h.write(`
stage "measure" "m" {
  text = "latency_ms 12.5"
}
`)
	out := h.apply(h.load())
	m := output(t, out, "stage.measure.m", "out")
	damageObject(t, h.objectFile(m.SHA256), 3)
	for i := 1; i <= 2; i++ {
		ps := h.plan(h.load()).Stage("stage.measure.m")
		rs := strings.Join(ps.Reasons, "; ")
		if ps.Action != ActionRerun || !strings.Contains(rs, "must be re-measured") ||
			!strings.Contains(rs, `output "out" was damaged`) || !strings.Contains(rs, "quarantine") {
			t.Errorf("plan #%d: %s %q; want a rerun saying the measurement must be re-measured because its output was damaged", i, ps.Action, rs)
		}
	}
	ents, _ := os.ReadDir(filepath.Join(h.dir, ".tr119", "cache", "quarantine"))
	if len(ents) == 0 {
		t.Error("damaged measurement not kept in quarantine/")
	}
}

// TestForeignEntryNotTrusted: an action entry whose outputs are not the
// kind's declared outputs is not a hit, even with key lines that hash
// to the key. (Before: it was taken as the stage's cached result.)
func TestForeignEntryNotTrusted(t *testing.T) {
	h := newHarness(t)
	h.write(`
stage "echo" "a" {
  text = "x"
}
`)
	out := h.apply(h.load())
	a := output(t, out, "stage.echo.a", "out")
	ps := h.plan(h.load()).Stage("stage.echo.a")
	forged := &StoredAction{KeyLines: ps.Key.Lines, Outputs: []StoredOutput{
		{Name: "table", MediaType: "application/vnd.apache.parquet", StoredObject: a.StoredObject}}}
	if err := h.opts.Store.PutAction(ps.Key.ID, forged); err != nil {
		t.Fatal(err)
	}
	ps = h.plan(h.load()).Stage("stage.echo.a")
	if ps.Action == ActionCached {
		t.Fatalf("an entry with undeclared outputs is a hit")
	}
	if rs := strings.Join(ps.Reasons, "; "); !strings.Contains(rs, "table") {
		t.Errorf("reasons %q do not name the undeclared output", rs)
	}
}

// TestInputDamagedAfterPlan: an input damaged between plan and the
// moment its stage runs (a long apply leaves time) is not read: the
// stage fails saying so, and the next apply rebuilds it.
func TestInputDamagedAfterPlan(t *testing.T) {
	h := newHarness(t)
	src := `
stage "echo" "a" {
  text = "usd_per_kwh 0.12"
}
stage "echo" "b" {
  text   = "%s"
  inputs = [stage.echo.a.out]
}
`
	h.write(strings.Replace(src, "%s", "v1", 1))
	out := h.apply(h.load())
	a := output(t, out, "stage.echo.a", "out")
	h.write(strings.Replace(src, "%s", "v2", 1))
	p := h.load()
	plan := h.plan(p)
	time.Sleep(20 * time.Millisecond) // a coarse ctime clock must tick
	damageObject(t, h.objectFile(a.SHA256), 14)
	out, err := Apply(t.Context(), p, plan, h.opts)
	if err != nil {
		t.Fatal(err)
	}
	if got := statuses(out); !strings.Contains(got, "stage.echo.b=failed") {
		t.Fatalf("statuses:\n%s\nwant b failed", got)
	}
	if err := out.Err(); err == nil || !strings.Contains(err.Error(), "input inputs[0] is damaged") {
		t.Errorf("error %v does not name the damaged input", err)
	}
	out = h.apply(h.load())
	b := output(t, out, "stage.echo.b", "out")
	if got, _ := os.ReadFile(h.objectFile(b.SHA256)); string(got) != "v2usd_per_kwh 0.12" {
		t.Errorf("after the next apply b = %q", got)
	}
}
