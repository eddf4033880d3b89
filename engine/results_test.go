package engine

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/tr119/tr119/manifest"
)

func TestExtFor(t *testing.T) {
	tests := []struct{ mediaType, want string }{
		{"application/vnd.apache.parquet", ".parquet"},
		{"text/csv", ".csv"},
		{"application/x-ndjson", ".jsonl"},
		{"image/svg+xml", ".svg"},
		{"application/x-unknown-thing", ""},
	}
	for _, tt := range tests {
		if got := extFor(tt.mediaType); got != tt.want {
			t.Errorf("extFor(%q) = %q, want %q", tt.mediaType, got, tt.want)
		}
	}
}

// results applies the harness's pipeline the way `tr119 apply` does:
// check the results, plan, apply, write results and manifest.
func (h *harness) results(target ...string) (*Outcome, *manifest.Manifest, error) {
	h.t.Helper()
	dir := filepath.Join(h.dir, "results")
	rec := OpenResultsRecord(filepath.Join(h.dir, ".tr119", "results-record.json"), dir)
	CheckResults(h.opts.Store, dir, rec, nil)
	h.opts.Target = target
	defer func() { h.opts.Target = nil }()
	out := h.apply(h.load())
	m, err := WriteResults(h.opts.Store, h.load(), out, ResultsOptions{Dir: dir, Record: rec,
		Info: ManifestInfo{ToolVersion: "test", Started: time.Now(), Finished: time.Now()}})
	if err == nil {
		err = rec.Save()
	}
	return out, m, err
}

// verified fails the test unless the results folder matches its manifest.
func (h *harness) verified() *manifest.Manifest {
	h.t.Helper()
	dir := filepath.Join(h.dir, "results")
	m, err := manifest.Read(filepath.Join(dir, "manifest.json"))
	if err != nil {
		h.t.Fatal(err)
	}
	if probs := manifest.Verify(dir, m); len(probs) != 0 {
		h.t.Fatalf("verify: %v", probs)
	}
	return m
}

func subjectNames(m *manifest.Manifest) []string {
	var names []string
	for _, s := range m.Subject {
		names = append(names, s.Name)
	}
	return names
}

func record(m *manifest.Manifest, addr string) manifest.StageFacts {
	for _, b := range m.Predicate.RunDetails.Byproducts {
		if b.Name == addr {
			return b.Annotations
		}
	}
	return manifest.StageFacts{}
}

func TestWriteResultsRemovesOnlyStaleResults(t *testing.T) {
	h := newHarness(t)
	h.write(chainHCL)
	if _, _, err := h.results(); err != nil {
		t.Fatal(err)
	}
	m := h.verified()
	if want := []string{"echo/a/out.txt", "echo/b/out.txt", "echo/c/out.txt"}; !slices.Equal(subjectNames(m), want) {
		t.Fatalf("subjects %q, want %q", subjectNames(m), want)
	}
	dir := filepath.Join(h.dir, "results")
	// A file the user put there is never touched; a stage removed from
	// the pipeline loses its results.
	mine := filepath.Join(dir, "echo", "notes.txt")
	os.WriteFile(mine, []byte("mine"), 0o644)
	h.write(`stage "echo" "a" { text = "hello" }`)
	if _, _, err := h.results(); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]bool{"echo/a/out.txt": true, "echo/b": false, "echo/c": false, "echo/notes.txt": true} {
		if _, err := os.Stat(filepath.Join(dir, path)); (err == nil) != want {
			t.Errorf("%s exists = %v, want %v", path, err == nil, want)
		}
	}
	if data, _ := os.ReadFile(filepath.Join(dir, "echo", "a", "out.txt")); string(data) != "hello" {
		t.Errorf("a's result = %q", data)
	}
}

func TestManifestRoundTrip(t *testing.T) {
	h := newHarness(t)
	h.write(chainHCL)
	out, _, err := h.results()
	if err != nil {
		t.Fatal(err)
	}
	back := h.verified()
	b := back.Predicate.RunDetails.Byproducts[1]
	if b.Name != "stage.echo.b" || b.Annotations.Status != manifest.StageExecuted ||
		len(b.Annotations.Inputs) != 1 || b.Annotations.Inputs[0].Name != "inputs[0]" ||
		b.Annotations.ActionKey != out.Stages[1].Key.String() || b.Annotations.OutputsFrom != nil {
		t.Fatalf("stage b recorded as %+v", b)
	}
	if v := string(back.Predicate.BuildDefinition.ExternalParameters.Variables["greeting"]); v != `"hello"` {
		t.Fatalf("variable recorded as %s", v)
	}
}

func TestWriteResultsFolderOutput(t *testing.T) {
	h := newHarness(t)
	dir := filepath.Join(h.dir, "results")
	for _, text := range []string{"one", "one", "two"} {
		h.write(`
stage "echo" "m" {
  text = "` + text + `"
  tree = true
}
`)
		if _, _, err := h.results(); err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(filepath.Join(dir, "echo", "m", "tree", "sub", "text.txt"))
		if err != nil || string(data) != text {
			t.Fatalf("folder result holds %q, %v; want %q", data, err, text)
		}
		m := h.verified()
		if want := []string{"echo/m/out.txt", "echo/m/tree/sub/text.txt"}; !slices.Equal(subjectNames(m), want) {
			t.Fatalf("subjects %q, want %q", subjectNames(m), want)
		}
	}
}

// flipInPlace flips a byte of a file in place and restores its
// modification time, as bit rot or a careless edit would.
func flipInPlace(t *testing.T, path string) {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 1)
	f.ReadAt(b, 0)
	b[0] ^= 1
	f.WriteAt(b, 0)
	f.Close()
	if err := os.Chtimes(path, st.ModTime(), st.ModTime()); err != nil {
		t.Fatal(err)
	}
}

// Issue 9: a byte flipped in a folder output (mtime kept) was re-blessed:
// apply said cached and wrote the altered digest into the manifest.
func TestTamperedFolderResultIsRestoredNotBlessed(t *testing.T) {
	for _, copied := range []bool{false, true} {
		t.Run(map[bool]string{false: "linked", true: "copied"}[copied], func(t *testing.T) {
			h := newHarness(t)
			h.write(`
stage "echo" "m" {
  text = "weights"
  tree = true
}
`)
			if _, _, err := h.results(); err != nil {
				t.Fatal(err)
			}
			before := h.verified()
			file := filepath.Join(h.dir, "results", "echo", "m", "tree", "sub", "text.txt")
			if copied {
				// A result that is a copy, not a link into the cache.
				data, _ := os.ReadFile(file)
				os.Remove(file)
				os.WriteFile(file, data, 0o644)
			}
			flipInPlace(t, file)
			if _, _, err := h.results(); err != nil {
				t.Fatal(err)
			}
			after := h.verified()
			if !slices.EqualFunc(before.Subject, after.Subject, func(a, b manifest.Subject) bool {
				return a.Name == b.Name && a.Digest["sha256"] == b.Digest["sha256"]
			}) {
				t.Fatalf("the manifest's subjects changed:\n%v\n%v", before.Subject, after.Subject)
			}
			if data, _ := os.ReadFile(file); string(data) != "weights" {
				t.Fatalf("result holds %q", data)
			}
		})
	}
}

// Issue 9: stray files and links inside a folder output are removed by
// the next apply (verify reports them until then).
func TestWriteResultsRemovesStraysAndLinks(t *testing.T) {
	h := newHarness(t)
	h.write(`
stage "echo" "m" {
  text = "x"
  tree = true
}
`)
	if _, _, err := h.results(); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(h.dir, "results")
	tree := filepath.Join(dir, "echo", "m", "tree")
	os.WriteFile(filepath.Join(tree, "extra.svg"), []byte("<svg/>"), 0o644)
	// The folder output replaced by a link to an identical copy.
	copyDir := filepath.Join(h.dir, "copy")
	os.CopyFS(copyDir, os.DirFS(tree))
	os.Remove(filepath.Join(copyDir, "extra.svg"))
	os.RemoveAll(tree)
	if err := os.Symlink(copyDir, tree); err != nil {
		t.Fatal(err)
	}
	m, _ := manifest.Read(filepath.Join(dir, "manifest.json"))
	if probs := manifest.Verify(dir, m); len(probs) == 0 {
		t.Fatal("verify accepts a folder output replaced by a link")
	}
	if _, _, err := h.results(); err != nil {
		t.Fatal(err)
	}
	h.verified()
	if st, err := os.Lstat(tree); err != nil || !st.IsDir() {
		t.Fatalf("folder output is %v, %v; want a real folder", st, err)
	}
}

// Issue 9: a failed apply removed the last good results.
func TestFailedStageKeepsItsLastGoodResults(t *testing.T) {
	h := newHarness(t)
	src := func(fail string) string {
		return `
variable "fail" {
  type    = bool
  default = ` + fail + `
}
stage "echo" "a" {
  text = "v1"
  fail = var.fail
  tree = true
}
stage "echo" "b" {
  text   = "b:"
  inputs = [stage.echo.a.out]
}
stage "echo" "c" { text = "independent" }
`
	}
	h.write(src("false"))
	_, first, err := h.results()
	if err != nil {
		t.Fatal(err)
	}
	h.write(src("true"))
	out, m, err := h.results()
	if err != nil {
		t.Fatal(err)
	}
	if out.Count(StatusFailed) != 1 || out.Count(StatusSkipped) != 1 {
		t.Fatalf("second apply: %s", statuses(out))
	}
	h.verified()
	if !slices.Equal(subjectNames(m), subjectNames(first)) {
		t.Fatalf("results after a failed apply: %q, want %q", subjectNames(m), subjectNames(first))
	}
	firstA := record(first, "stage.echo.a")
	for addr, status := range map[string]string{"stage.echo.a": manifest.StageFailed, "stage.echo.b": manifest.StageSkipped} {
		f := record(m, addr)
		if f.Status != status || f.OutputsFrom == nil || len(f.Outputs) == 0 {
			t.Fatalf("%s recorded as %+v", addr, f)
		}
		if from := f.OutputsFrom; from.InvocationID != first.Predicate.RunDetails.Metadata.InvocationID ||
			from.Status != manifest.StageExecuted || from.ActionKey != record(first, addr).ActionKey {
			t.Fatalf("%s: outputs from %+v", addr, from)
		}
	}
	if firstA.ActionKey == record(m, "stage.echo.a").ActionKey {
		t.Fatal("the failed stage should record its own (new) key")
	}
	if f := record(m, "stage.echo.c"); f.Status != manifest.StageCached || f.OutputsFrom != nil {
		t.Fatalf("stage c recorded as %+v", f)
	}
	// Failing again keeps pointing at the first apply.
	_, third, err := h.results()
	if err != nil {
		t.Fatal(err)
	}
	if from := record(third, "stage.echo.a").OutputsFrom; from == nil || from.InvocationID != first.Predicate.RunDetails.Metadata.InvocationID {
		t.Fatalf("third apply: outputs from %+v", from)
	}
	// Fixed: fresh outputs again.
	h.write(src("false"))
	_, fourth, err := h.results()
	if err != nil {
		t.Fatal(err)
	}
	if f := record(fourth, "stage.echo.a"); f.OutputsFrom != nil || f.Status != manifest.StageCached {
		t.Fatalf("fixed apply: %+v", f)
	}
	h.verified()
}

// Issue 9: `apply -target` removed the results of stages it did not
// target.
func TestUntargetedStagesKeepTheirResults(t *testing.T) {
	h := newHarness(t)
	h.write(chainHCL)
	_, first, err := h.results()
	if err != nil {
		t.Fatal(err)
	}
	_, m, err := h.results("stage.echo.a")
	if err != nil {
		t.Fatal(err)
	}
	h.verified()
	if !slices.Equal(subjectNames(m), subjectNames(first)) {
		t.Fatalf("results after -target: %q, want %q", subjectNames(m), subjectNames(first))
	}
	f := record(m, "stage.echo.c")
	if f.Status != manifest.StageSkipped || f.OutputsFrom == nil || f.OutputsFrom.ActionKey != record(first, "stage.echo.c").ActionKey {
		t.Fatalf("untargeted stage recorded as %+v", f)
	}
}

// Issue 9: a fresh workspace whose stages all fail ended with "write
// manifest: no such file or directory".
func TestAllFailedFreshWorkspaceWritesManifest(t *testing.T) {
	h := newHarness(t)
	h.write(`stage "echo" "a" {
  text = "x"
  fail = true
}`)
	out, m, err := h.results()
	if err != nil {
		t.Fatal(err)
	}
	if out.Count(StatusFailed) != 1 || len(m.Subject) != 0 || record(m, "stage.echo.a").Status != manifest.StageFailed {
		t.Fatalf("outcome %s, manifest %+v", statuses(out), m.Predicate.RunDetails.Byproducts)
	}
	h.verified()
}

// enospcStore fails every Materialize after the first n with ENOSPC.
type enospcStore struct {
	Store
	n int
}

func (s *enospcStore) Materialize(o StoredObject, dst string) error {
	if s.n <= 0 {
		return &os.PathError{Op: "write", Path: dst, Err: syscall.ENOSPC}
	}
	s.n--
	return s.Store.Materialize(o, dst)
}

// Issue 9: a full disk mid-apply deleted results before the manifest
// write failed. Now nothing changes until every new file and the
// manifest are written.
func TestFullDiskLeavesPreviousResults(t *testing.T) {
	h := newHarness(t)
	h.write(chainHCL)
	if _, _, err := h.results(); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(filepath.Join(h.dir, "results", "manifest.json"))
	// The next apply changes a's and b's results and drops c's.
	h.write(`
stage "echo" "a" { text = "changed" }
stage "echo" "b" {
  text   = "b:"
  inputs = [stage.echo.a.out]
}
stage "echo" "d" { text = "new" }
`)
	out := h.apply(h.load())
	store := h.opts.Store
	defer func() { h.opts.Store = store }()
	for n := range 3 {
		_, err := WriteResults(&enospcStore{Store: store, n: n}, h.load(), out, ResultsOptions{Dir: filepath.Join(h.dir, "results")})
		if !errors.Is(err, syscall.ENOSPC) {
			t.Fatalf("after %d files: err %v, want ENOSPC", n, err)
		}
		after, _ := os.ReadFile(filepath.Join(h.dir, "results", "manifest.json"))
		if string(after) != string(before) {
			t.Fatal("the manifest changed")
		}
		m := h.verified()
		if want := []string{"echo/a/out.txt", "echo/b/out.txt", "echo/c/out.txt"}; !slices.Equal(subjectNames(m), want) {
			t.Fatalf("subjects %q", subjectNames(m))
		}
		leftovers, _ := filepath.Glob(filepath.Join(h.dir, "results", "*", "*", tempPrefix+"*"))
		if len(leftovers) > 0 {
			t.Fatalf("left behind: %q", leftovers)
		}
	}
}
