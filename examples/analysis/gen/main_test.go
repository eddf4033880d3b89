package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// The committed runs.csv is exactly what the generator writes by default.
func TestCommittedCSVIsRegenerated(t *testing.T) {
	out := filepath.Join(t.TempDir(), "runs.csv")
	if err := run(out, 0, 119, false); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join("..", "runs.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("examples/analysis/runs.csv differs from the generator's output: go run ./examples/analysis/gen -o examples/analysis/runs.csv")
	}
}
