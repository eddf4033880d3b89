package cache

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestHashFile(t *testing.T) {
	tests := []struct {
		name    string
		content string
	}{
		{"empty", ""},
		{"short", "abc"},
		{"over one buffer", strings.Repeat("0123456789abcdef", hashBufSize/16+7)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := writeFile(t, t.TempDir(), "f", tt.content)
			sha, n, err := HashFile(p)
			if err != nil {
				t.Fatal(err)
			}
			if sha != sum(tt.content) || n != int64(len(tt.content)) {
				t.Errorf("HashFile = %s %d, want %s %d", sha, n, sum(tt.content), len(tt.content))
			}
		})
	}
	if _, _, err := HashFile(filepath.Join(t.TempDir(), "missing")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: err = %v", err)
	}
}

func TestPutFile(t *testing.T) {
	tests := []struct {
		name    string
		content string
		srcDir  string // "" = same filesystem as the cache
	}{
		{"empty", "", ""},
		{"small", "hello\n", ""},
		{"large", strings.Repeat("x", 3<<20), ""},
		{"other filesystem", "copied, not linked\n", "/dev/shm"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := newCache(t)
			dir := t.TempDir()
			if tt.srcDir != "" {
				if _, err := os.Stat(tt.srcDir); err != nil {
					t.Skip("no", tt.srcDir)
				}
				d, err := os.MkdirTemp(tt.srcDir, "cachetest")
				if err != nil {
					t.Skip(err)
				}
				t.Cleanup(func() { os.RemoveAll(d) })
				dir = d
			}
			src := writeFile(t, dir, "src", tt.content)
			o, err := c.PutFile(src)
			if err != nil {
				t.Fatal(err)
			}
			want := Object{SHA256: sum(tt.content), Size: int64(len(tt.content))}
			if o != want {
				t.Fatalf("PutFile = %+v, want %+v", o, want)
			}
			p, err := c.ObjectPath(o)
			if err != nil {
				t.Fatal(err)
			}
			if got, _ := os.ReadFile(p); string(got) != tt.content {
				t.Error("stored content differs")
			}
			st, _ := os.Stat(p)
			if st.Mode().Perm() != 0o444 {
				t.Errorf("object mode %v, want read-only", st.Mode().Perm())
			}
			if got, _ := os.ReadFile(src); string(got) != tt.content {
				t.Error("source file changed")
			}
			// Storing the same content again is fine.
			if o2, err := c.PutFile(src); err != nil || o2 != o {
				t.Errorf("second PutFile = %+v, %v", o2, err)
			}
		})
	}
}

func TestPutFileErrors(t *testing.T) {
	c, _ := newCache(t)
	dir := t.TempDir()
	if _, err := c.PutFile(filepath.Join(dir, "missing")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing: %v", err)
	}
	if _, err := c.PutFile(dir); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("folder: %v", err)
	}
	if _, err := c.PutDir(writeFile(t, dir, "f", "x")); err == nil || !strings.Contains(err.Error(), "not a folder") {
		t.Errorf("PutDir of a file: %v", err)
	}
	// A link to a file stores the file, not the link.
	target := writeFile(t, dir, "target.txt", "target")
	os.Symlink(target, filepath.Join(dir, "alias"))
	if o, err := c.PutFile(filepath.Join(dir, "alias")); err != nil || o.SHA256 != sum("target") {
		t.Errorf("PutFile of a symlink = %+v, %v", o, err)
	} else if p, _ := c.ObjectPath(o); !sameFile(p, target) {
		t.Errorf("object is not the link's target")
	} else if st, _ := os.Lstat(p); !st.Mode().IsRegular() {
		t.Errorf("object is a %v, want a regular file", st.Mode())
	}
	link := filepath.Join(dir, "d", "link")
	writeFile(t, dir, "d/target", "x")
	os.Symlink("target", link)
	if _, err := c.PutDir(filepath.Join(dir, "d")); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("PutDir with a symlink: %v", err)
	}
}

func TestObjectPathErrors(t *testing.T) {
	c, _ := newCache(t)
	tests := []struct {
		name string
		o    Object
		want error
	}{
		{"not a digest", Object{SHA256: "../../etc/passwd"}, ErrMissing},
		{"absent", Object{SHA256: sum("nothing")}, ErrMissing},
		{"absent folder", Object{SHA256: sum("nothing"), Dir: true}, ErrMissing},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := c.ObjectPath(tt.o); !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

// makeTree writes a small folder with nested files and returns it.
func makeTree(t testing.TB) string {
	dir := filepath.Join(t.TempDir(), "model")
	writeFile(t, dir, "config.json", `{"n_layer":2}`)
	writeFile(t, dir, "model.onnx", strings.Repeat("w", 1000))
	writeFile(t, dir, "tokenizer/vocab.json", `{"a":1}`)
	writeFile(t, dir, "tokenizer.json", `{}`) // sorts between tokenizer/ members and others
	writeFile(t, dir, "empty", "")
	return dir
}

func TestPutDir(t *testing.T) {
	c, _ := newCache(t)
	src := makeTree(t)
	o, err := c.PutDir(src)
	if err != nil {
		t.Fatal(err)
	}
	listing := sum(`{"n_layer":2}`) + " 13 config.json\n" +
		sum("") + " 0 empty\n" +
		sum(strings.Repeat("w", 1000)) + " 1000 model.onnx\n" +
		sum(`{}`) + " 2 tokenizer.json\n" +
		sum(`{"a":1}`) + " 7 tokenizer/vocab.json\n"
	want := Object{SHA256: sum(listing), Size: 13 + 1000 + 2 + 7, Dir: true}
	if o != want {
		t.Fatalf("PutDir = %+v, want %+v", o, want)
	}
	m, _ := OpenHashMemo(filepath.Join(t.TempDir(), "memo.json"))
	if sha, n, err := m.Dir(src); err != nil || sha != o.SHA256 || n != o.Size {
		t.Errorf("HashMemo.Dir = %s %d %v, want PutDir's %s %d", sha, n, err, o.SHA256, o.Size)
	}
	p, err := c.ObjectPath(o)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(p, "tokenizer", "vocab.json")); string(got) != `{"a":1}` {
		t.Errorf("assembled folder member = %q", got)
	}
	// The assembled folder is reused, not rebuilt.
	st1, _ := os.Stat(p)
	p2, _ := c.ObjectPath(o)
	st2, _ := os.Stat(p2)
	if !os.SameFile(st1, st2) {
		t.Error("assembled folder rebuilt on second ObjectPath")
	}
	if err := c.Verify(o); err != nil {
		t.Errorf("Verify: %v", err)
	}
	if _, err := c.ObjectPath(Object{SHA256: o.SHA256, Size: o.Size + 1, Dir: true}); !errors.Is(err, ErrCorrupt) {
		t.Errorf("wrong folder size: %v", err)
	}
}
