package engine

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/tr119/tr119/artifacts"
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

func TestMaterializeRemovesOnlyStaleResults(t *testing.T) {
	h := newHarness(t)
	h.write(chainHCL)
	out := h.apply(h.load())
	files := ResultFiles(out)
	var paths []string
	for _, f := range files {
		paths = append(paths, f.Path)
	}
	if want := []string{"echo/a/out.txt", "echo/b/out.txt", "echo/c/out.txt"}; !slices.Equal(paths, want) {
		t.Fatalf("paths %q, want %q", paths, want)
	}
	dir := filepath.Join(h.dir, "results")
	if err := Materialize(h.opts.Store, files, dir, nil); err != nil {
		t.Fatal(err)
	}
	// A file the user put there is never touched; a stale result is.
	mine := filepath.Join(dir, "echo", "notes.txt")
	os.WriteFile(mine, []byte("mine"), 0o644)
	if err := Materialize(h.opts.Store, files[:1], dir, paths); err != nil {
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
	p := h.load()
	out := h.apply(p)
	files := ResultFiles(out)
	dir := filepath.Join(h.dir, "results")
	if err := Materialize(h.opts.Store, files, dir, nil); err != nil {
		t.Fatal(err)
	}
	m, err := BuildManifest(p, out, files, ManifestInfo{ToolVersion: "test", ResultsDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "manifest.json")
	if err := m.Write(path); err != nil {
		t.Fatal(err)
	}
	back, err := artifacts.ReadManifest(path)
	if err != nil {
		t.Fatalf("the manifest does not read back strictly: %v", err)
	}
	if probs := artifacts.VerifyManifest(dir, back); len(probs) != 0 {
		t.Fatalf("verify: %v", probs)
	}
	b := back.Predicate.RunDetails.Byproducts[1]
	if b.Name != "stage.echo.b" || b.Annotations.Status != artifacts.StageExecuted ||
		len(b.Annotations.Inputs) != 1 || b.Annotations.Inputs[0].Name != "inputs[0]" ||
		b.Annotations.ActionKey != out.Stages[1].Key.String() {
		t.Fatalf("stage b recorded as %+v", b)
	}
	if v := string(back.Predicate.BuildDefinition.ExternalParameters.Variables["greeting"]); v != `"hello"` {
		t.Fatalf("variable recorded as %s", v)
	}
}

func TestMaterializeFolderOutput(t *testing.T) {
	h := newHarness(t)
	dir := filepath.Join(h.dir, "results")
	for _, text := range []string{"one", "one", "two"} {
		h.write(`
stage "echo" "m" {
  text = "` + text + `"
  tree = true
}
`)
		out := h.apply(h.load())
		prev := []string{"echo/m/out.txt", "echo/m/tree/sub/text.txt"}
		if err := Materialize(h.opts.Store, ResultFiles(out), dir, prev); err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(filepath.Join(dir, "echo", "m", "tree", "sub", "text.txt"))
		if err != nil || string(data) != text {
			t.Fatalf("folder result holds %q, %v; want %q", data, err, text)
		}
		m, err := BuildManifest(h.load(), out, ResultFiles(out), ManifestInfo{ResultsDir: dir})
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, s := range m.Subject {
			names = append(names, s.Name)
		}
		if want := []string{"echo/m/out.txt", "echo/m/tree/sub/text.txt"}; !slices.Equal(names, want) {
			t.Fatalf("subjects %q, want %q", names, want)
		}
		if probs := artifacts.VerifyManifest(dir, m); len(probs) != 0 {
			t.Fatalf("verify: %v", probs)
		}
	}
}
