package artifacts

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// leftovers lists the files in dir other than the named ones.
func leftovers(t *testing.T, dir string, want ...string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var extra []string
	for _, e := range ents {
		keep := false
		for _, w := range want {
			keep = keep || e.Name() == w
		}
		if !keep {
			extra = append(extra, e.Name())
		}
	}
	return extra
}

func TestWriteFileAtomic(t *testing.T) {
	tests := []struct {
		name    string
		initial []byte // nil: no existing file
		data    []byte
		perm    os.FileMode
	}{
		{"new file", nil, []byte("hello\n"), 0o644},
		{"replace", []byte("old content that is longer"), []byte("new"), 0o644},
		{"empty", []byte("x"), nil, 0o600},
		{"read-only", nil, []byte("ro"), 0o444},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			p := filepath.Join(dir, "f.json")
			if tt.initial != nil {
				if err := os.WriteFile(p, tt.initial, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if err := WriteFileAtomic(p, tt.data, tt.perm); err != nil {
				t.Fatal(err)
			}
			got, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, tt.data) {
				t.Errorf("content = %q, want %q", got, tt.data)
			}
			st, _ := os.Stat(p)
			if st.Mode().Perm() != tt.perm {
				t.Errorf("perm = %v, want %v", st.Mode().Perm(), tt.perm)
			}
			if extra := leftovers(t, dir, "f.json"); len(extra) > 0 {
				t.Errorf("temp files left: %v", extra)
			}
		})
	}
}

func TestCreateAtomicAbortLeavesOld(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "out.txt")
	os.WriteFile(p, []byte("old"), 0o644)
	f, err := CreateAtomic(p)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("half-written")
	// Before Commit the destination still holds the old content.
	if got, _ := os.ReadFile(p); string(got) != "old" {
		t.Fatalf("before commit: %q", got)
	}
	if err := f.Abort(); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(p); string(got) != "old" {
		t.Fatalf("after abort: %q", got)
	}
	if extra := leftovers(t, dir, "out.txt"); len(extra) > 0 {
		t.Errorf("temp files left: %v", extra)
	}
	if err := f.Commit(); err == nil {
		t.Error("commit after abort succeeded")
	}
}

func TestCreateAtomicCommitThenAbort(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "out.txt")
	f, err := CreateAtomic(p)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("done")
	if err := f.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := f.Abort(); err != nil {
		t.Fatalf("abort after commit: %v", err)
	}
	if got, _ := os.ReadFile(p); string(got) != "done" {
		t.Fatalf("content %q", got)
	}
}

func TestWriteAtomicStream(t *testing.T) {
	p := filepath.Join(t.TempDir(), "s")
	n, err := WriteAtomic(p, strings.NewReader("streamed"), 0o644)
	if err != nil || n != 8 {
		t.Fatalf("n=%d err=%v", n, err)
	}
	if got, _ := os.ReadFile(p); string(got) != "streamed" {
		t.Fatalf("content %q", got)
	}
}

func TestWriteFileAtomicMissingDir(t *testing.T) {
	p := filepath.Join(t.TempDir(), "no", "such", "f")
	err := WriteFileAtomic(p, []byte("x"), 0o644)
	if err == nil || !strings.Contains(err.Error(), p) {
		t.Fatalf("err = %v, want one naming %s", err, p)
	}
}
