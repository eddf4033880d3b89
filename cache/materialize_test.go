package cache

import (
	"os"
	"path/filepath"
	"testing"
)

func TestMaterializeFile(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, dst string) // what is at dst before
	}{
		{"absent", func(t *testing.T, dst string) {}},
		{"different file", func(t *testing.T, dst string) { writeFile(t, filepath.Dir(dst), filepath.Base(dst), "old") }},
		{"same content, other inode", func(t *testing.T, dst string) { writeFile(t, filepath.Dir(dst), filepath.Base(dst), "result\n") }},
		{"a folder", func(t *testing.T, dst string) { writeFile(t, dst, "inner", "x") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := newCache(t)
			o, err := c.PutFile(writeFile(t, t.TempDir(), "src", "result\n"))
			if err != nil {
				t.Fatal(err)
			}
			dst := filepath.Join(t.TempDir(), "results", "sub", "out.csv")
			tt.setup(t, dst)
			if err := c.Materialize(o, dst); err != nil {
				t.Fatal(err)
			}
			p, _ := c.ObjectPath(o)
			if !sameFile(p, dst) {
				t.Error("dst is not a hard link to the object")
			}
			before, _ := os.Stat(dst)
			if err := c.Materialize(o, dst); err != nil {
				t.Fatal(err)
			}
			after, _ := os.Stat(dst)
			if !os.SameFile(before, after) {
				t.Error("identical dst was replaced")
			}
			ents, _ := os.ReadDir(filepath.Dir(dst))
			if len(ents) != 1 {
				t.Errorf("leftovers beside dst: %v", ents)
			}
		})
	}
}

func TestMaterializeFileOtherFilesystem(t *testing.T) {
	d, err := os.MkdirTemp("/dev/shm", "cachetest")
	if err != nil {
		t.Skip(err)
	}
	defer os.RemoveAll(d)
	c, _ := newCache(t)
	o, err := c.PutFile(writeFile(t, t.TempDir(), "src", "copied\n"))
	if err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(d, "out")
	for i := 0; i < 2; i++ {
		if err := c.Materialize(o, dst); err != nil {
			t.Fatal(err)
		}
		if got, _ := os.ReadFile(dst); string(got) != "copied\n" {
			t.Fatalf("copy = %q", got)
		}
	}
	writeFile(t, d, "out", "edited\n")
	if err := c.Materialize(o, dst); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(dst); string(got) != "copied\n" {
		t.Fatalf("edited copy not restored: %q", got)
	}
}

func TestMaterializeDir(t *testing.T) {
	c, _ := newCache(t)
	o, err := c.PutDir(makeTree(t))
	if err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(t.TempDir(), "results", "model")
	if err := c.Materialize(o, dst); err != nil {
		t.Fatal(err)
	}
	m, _ := OpenHashMemo(filepath.Join(t.TempDir(), "memo"))
	if sha, _, err := m.Dir(dst); err != nil || sha != o.SHA256 {
		t.Fatalf("materialized folder hashes to %s (%v), want %s", sha, err, o.SHA256)
	}
	before, _ := os.Stat(dst)
	if err := c.Materialize(o, dst); err != nil {
		t.Fatal(err)
	}
	after, _ := os.Stat(dst)
	if !os.SameFile(before, after) {
		t.Error("identical folder was rebuilt")
	}
	// An extra file or a changed one makes it differ: it is rebuilt.
	writeFile(t, dst, "extra.txt", "x")
	os.Remove(filepath.Join(dst, "config.json"))
	writeFile(t, dst, "config.json", "changed")
	if err := c.Materialize(o, dst); err != nil {
		t.Fatal(err)
	}
	if sha, _, err := m.Dir(dst); err != nil || sha != o.SHA256 {
		t.Fatalf("rebuilt folder hashes to %s (%v), want %s", sha, err, o.SHA256)
	}
	ents, _ := os.ReadDir(filepath.Dir(dst))
	if len(ents) != 1 {
		t.Errorf("leftovers beside dst: %v", ents)
	}
}
