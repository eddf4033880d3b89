package onnxruntime

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tr119/tr119/backends"
)

// testLibrary finds the project's library from this package's folder, or
// skips: the library is fetched by scripts/fetch-onnxruntime.sh.
func testLibrary(t testing.TB) string {
	t.Helper()
	wd, _ := os.Getwd()
	p, err := ResolveLibrary(os.Getenv("TR119_ONNXRUNTIME_LIB"), wd)
	if err != nil {
		t.Skipf("no onnxruntime library: %v", err)
	}
	return p
}

func TestResolveLibrary(t *testing.T) {
	dir := t.TempDir()
	lib := filepath.Join(dir, DefaultLibrary)
	if err := os.MkdirAll(filepath.Dir(lib), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(lib, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	nested := filepath.Join(dir, "a", "b")
	if err := os.MkdirAll(nested, 0o755); err != nil {
		t.Fatal(err)
	}
	got, err := ResolveLibrary("", nested)
	if err != nil || got != lib {
		t.Fatalf("ResolveLibrary from nested workspace = %q, %v; want %q", got, err, lib)
	}
	if _, err := ResolveLibrary(filepath.Join(dir, "missing.so"), ""); err == nil {
		t.Fatal("a missing explicit library is not an error")
	}
}

func TestInitOnePathPerProcess(t *testing.T) {
	lib := testLibrary(t)
	if _, err := Init(lib); err != nil {
		t.Fatal(err)
	}
	if d, err := Init(lib); err != nil || d != 0 {
		t.Fatalf("second Init with the same path: %v, %v", d, err)
	}
	if _, err := Init(lib + ".other"); err == nil || !strings.Contains(err.Error(), "already initialised") {
		t.Fatalf("Init with another path: %v", err)
	}
	if v := Version(); !strings.HasPrefix(v, "1.29") {
		t.Errorf("version %q, want 1.29.x", v)
	}
}

func TestProviderUnavailable(t *testing.T) {
	lib := testLibrary(t)
	dir := t.TempDir()
	cfg := `{"vocab_size": 16, "n_layer": 1, "n_head": 2, "n_embd": 8}`
	if err := os.WriteFile(filepath.Join(dir, "config.json"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"cuda", "tensorrt"} {
		_, err := (&Backend{Library: lib, Settings: Settings{Provider: p}}).Open(context.Background(), dir, backends.Options{Device: "cuda:0", Modes: []backends.Mode{backends.Prefill}})
		if err == nil {
			t.Fatalf("%s: opened without a GPU", p)
		}
		if !strings.Contains(err.Error(), "Failed to load library") {
			t.Errorf("%s: want ONNX Runtime's own load message, got %v", p, err)
		}
	}
}
