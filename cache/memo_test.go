package cache

import (
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// countingMemo opens a memo whose hashing is counted.
func countingMemo(t *testing.T, path string) (*HashMemo, *int) {
	t.Helper()
	m, err := OpenHashMemo(path)
	if err != nil {
		t.Fatal(err)
	}
	// Files in these tests were just created, so their ctime is recent:
	// a short racy window (and past's pause) keeps them trusted.
	m.racy = 10 * time.Millisecond
	reads := new(int)
	var mu sync.Mutex
	m.hash = func(p string) (string, int64, error) {
		mu.Lock()
		*reads++
		mu.Unlock()
		return HashFile(p)
	}
	return m, reads
}

// past sets a file's mtime well before now (out of the racy window).
func past(t *testing.T, p string, ago time.Duration) {
	t.Helper()
	tm := time.Now().Add(-ago)
	if err := os.Chtimes(p, tm, tm); err != nil {
		t.Fatal(err)
	}
	time.Sleep(20 * time.Millisecond) // out of the (test's) racy window for the ctime too
}

func TestHashMemo(t *testing.T) {
	tests := []struct {
		name      string
		change    func(t *testing.T, p string)
		wantReads int // reads on the lookup after change
	}{
		{"unchanged", func(t *testing.T, p string) {}, 0},
		{"mtime touched", func(t *testing.T, p string) { past(t, p, time.Hour) }, 1},
		{"content changed, same size and mtime", func(t *testing.T, p string) {
			st, _ := os.Stat(p)
			os.WriteFile(p, []byte("HELLO"), 0o644)
			os.Chtimes(p, st.ModTime(), st.ModTime())
		}, 1}, // the ctime moved: no user call can restore it
		{"replaced by rename", func(t *testing.T, p string) {
			st, _ := os.Stat(p)
			tmp := p + ".new"
			os.WriteFile(tmp, []byte("hello"), 0o644)
			os.Chtimes(tmp, st.ModTime(), st.ModTime())
			os.Rename(tmp, p)
		}, 1},
		{"size changed", func(t *testing.T, p string) {
			st, _ := os.Stat(p)
			os.WriteFile(p, []byte("hello, longer"), 0o644)
			os.Chtimes(p, st.ModTime(), st.ModTime())
		}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			p := writeFile(t, dir, "model.onnx", "hello")
			past(t, p, 2*time.Hour)
			memoPath := filepath.Join(dir, "memo.json")
			m, reads := countingMemo(t, memoPath)
			if sha, n, err := m.File(p); err != nil || sha != sum("hello") || n != 5 {
				t.Fatalf("File = %s %d %v", sha, n, err)
			}
			if err := m.Save(); err != nil {
				t.Fatal(err)
			}
			// A fresh process: reopen the saved memo.
			m, reads = countingMemo(t, memoPath)
			tt.change(t, p)
			content, _ := os.ReadFile(p)
			sha, _, err := m.File(p)
			if err != nil {
				t.Fatal(err)
			}
			if *reads != tt.wantReads {
				t.Errorf("reads = %d, want %d", *reads, tt.wantReads)
			}
			if tt.wantReads > 0 && sha != sum(string(content)) {
				t.Errorf("sha = %s, want the new content's", sha)
			}
			hits, misses := m.Stats()
			if hits+misses != 1 || misses != tt.wantReads {
				t.Errorf("Stats = %d hits %d misses", hits, misses)
			}
		})
	}
}

func TestHashMemoRacyFile(t *testing.T) {
	dir := t.TempDir()
	p := writeFile(t, dir, "just-written", "data")
	m, reads := countingMemo(t, filepath.Join(dir, "memo.json"))
	m.File(p)
	m.File(p)
	// Written within the racy window of its hashing: not trusted yet.
	if *reads != 2 {
		t.Errorf("reads = %d, want 2 for a file hashed just after it was written", *reads)
	}
}

func TestHashMemoDirAndErrors(t *testing.T) {
	dir := makeTree(t)
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		past(t, p, time.Hour)
		return nil
	})
	m, reads := countingMemo(t, filepath.Join(t.TempDir(), "memo.json"))
	sha1, _, err := m.Dir(dir)
	if err != nil {
		t.Fatal(err)
	}
	sha2, _, _ := m.Dir(dir)
	if sha1 != sha2 || *reads != 5 {
		t.Errorf("second Dir: sha %s vs %s, reads %d (want 5: each file once)", sha1, sha2, *reads)
	}
	if _, _, err := m.File(filepath.Join(dir, "absent")); err == nil {
		t.Error("absent file: no error")
	}
	if _, _, err := m.File(dir); err == nil {
		t.Error("folder as file: no error")
	}
	// A damaged memo file is an empty memo, not an error.
	bad := filepath.Join(t.TempDir(), "memo.json")
	os.WriteFile(bad, []byte("{not json"), 0o644)
	if m, err := OpenHashMemo(bad); err != nil || len(m.files) != 0 {
		t.Errorf("damaged memo: %v", err)
	}
}

func TestHashMemoConcurrent(t *testing.T) {
	dir := makeTree(t)
	m, _ := countingMemo(t, filepath.Join(t.TempDir(), "memo.json"))
	var wg sync.WaitGroup
	shas := make([]string, 8)
	for i := range shas {
		wg.Add(1)
		go func() {
			defer wg.Done()
			shas[i], _, _ = m.Dir(dir)
			m.Save()
		}()
	}
	wg.Wait()
	for _, s := range shas {
		if s != shas[0] || s == "" {
			t.Fatalf("concurrent Dir disagree: %v", shas)
		}
	}
}

func TestHashMemoPrunesGoneFiles(t *testing.T) {
	dir := t.TempDir()
	memoPath := filepath.Join(dir, "memo.json")
	gone := writeFile(t, dir, "scratch.tmp", "x")
	kept := writeFile(t, dir, "kept", "y")
	m, _ := countingMemo(t, memoPath)
	m.File(gone)
	m.File(kept)
	m.Save()
	os.Remove(gone)
	m, _ = countingMemo(t, memoPath)
	other := writeFile(t, dir, "other", "z")
	m.File(other) // makes the memo dirty; neither old entry is used
	if err := m.Save(); err != nil {
		t.Fatal(err)
	}
	m, _ = countingMemo(t, memoPath)
	abs := func(p string) string { a, _ := filepath.Abs(p); return a }
	if _, ok := m.files[abs(gone)]; ok {
		t.Error("entry of a deleted file kept")
	}
	if _, ok := m.files[abs(kept)]; !ok {
		t.Error("entry of an existing file dropped")
	}
}
