package cache

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// damageInPlace flips one byte of the stored file at p the way bit rot
// or a careless write through a hard link would: same size, same inode,
// modification time restored.
func damageInPlace(t testing.TB, p string, off int64) {
	t.Helper()
	st, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(p, 0o644); err != nil {
		t.Fatal(err)
	}
	flipByte(t, p, off)
	if err := os.Chmod(p, st.Mode().Perm()); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(p, st.ModTime(), st.ModTime()); err != nil {
		t.Fatal(err)
	}
}

// quarantined lists the files kept in the cache's quarantine folder.
func quarantined(t testing.TB, c *Cache) []string {
	t.Helper()
	ents, err := os.ReadDir(filepath.Join(c.Dir(), quarantineDir))
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	return names
}

// TestDamagedObjectNotServed: a stored file altered in place with its
// mtime restored is never handed out; it is a miss with a warning, the
// damaged bytes are kept in quarantine, and storing the content again
// repairs the cache. (Before: the object was served as long as its size
// and mtime looked right.)
func TestDamagedObjectNotServed(t *testing.T) {
	fx := newFixture(t)
	p := fx.c.objectFile(fx.file.SHA256)
	damageInPlace(t, p, 3)
	if _, err := fx.c.ObjectPath(fx.file); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("ObjectPath of a damaged small object: err = %v, want ErrCorrupt", err)
	}
	e, err := fx.c.GetAction(fx.id)
	if !errors.Is(err, ErrMiss) || e != nil {
		t.Fatalf("GetAction = %v, %v; want a miss", e, err)
	}
	if !errors.Is(err, ErrCorrupt) {
		t.Errorf("GetAction err = %v; want it to say the output is damaged (ErrCorrupt)", err)
	}
	if !strings.Contains(fx.log.String(), "level=WARN") {
		t.Errorf("no warning logged: %q", fx.log)
	}
	if q := quarantined(t, fx.c); len(q) == 0 {
		t.Error("damaged object not kept in quarantine/")
	}
	newFixtureIn(t, fx.c)
	if got, err := os.ReadFile(p); err != nil || string(got) != "PAR1 some table bytes PAR1" {
		t.Errorf("after re-put: %q, %v", got, err)
	}
}

// TestPutRepairsDamagedObject: storing content whose object exists but is
// damaged (same size) replaces the damaged object. (Before: an existing
// object of the right size was trusted, so `apply -replace` kept it.)
func TestPutRepairsDamagedObject(t *testing.T) {
	for _, size := range []int{100, 3 << 20} {
		c, _ := newCache(t)
		content := strings.Repeat("m", size)
		o, err := c.PutFile(writeFile(t, t.TempDir(), "f", content))
		if err != nil {
			t.Fatal(err)
		}
		p := c.objectFile(o.SHA256)
		damageInPlace(t, p, int64(size/2))
		if _, err := c.PutFile(writeFile(t, t.TempDir(), "f", content)); err != nil {
			t.Fatal(err)
		}
		if sha, _, err := HashFile(p); err != nil || sha != o.SHA256 {
			t.Errorf("size %d: object after re-put hashes to %s (%v), want %s", size, short(sha), err, short(o.SHA256))
		}
		if q := quarantined(t, c); len(q) == 0 {
			t.Errorf("size %d: replaced damaged object not kept in quarantine/", size)
		}
	}
}

// TestSymlinkObjectIsDamage: a blob replaced by a symbolic link (even to
// identical content) is damage, not an object.
func TestSymlinkObjectIsDamage(t *testing.T) {
	fx := newFixture(t)
	p := fx.c.objectFile(fx.file.SHA256)
	elsewhere := writeFile(t, t.TempDir(), "same", "PAR1 some table bytes PAR1")
	if err := os.Remove(p); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(elsewhere, p); err != nil {
		t.Fatal(err)
	}
	if _, err := fx.c.ObjectPath(fx.file); !errors.Is(err, ErrCorrupt) {
		t.Errorf("ObjectPath of a symlinked blob: err = %v, want ErrCorrupt", err)
	}
	if st, err := os.Lstat(p); err == nil && st.Mode()&os.ModeSymlink != 0 {
		t.Error("symlink left in the store")
	}
	// Put replaces a symlink too.
	if err := os.Symlink(elsewhere, p); err != nil {
		t.Fatal(err)
	}
	newFixtureIn(t, fx.c)
	if st, err := os.Lstat(p); err != nil || !st.Mode().IsRegular() {
		t.Errorf("after re-put the object is %v (%v), want a regular file", st.Mode(), err)
	}
}

// TestActionEntryUnderAnotherKey: an entry file copied under another key
// is not that key's entry: its key lines hash to the other key.
func TestActionEntryUnderAnotherKey(t *testing.T) {
	fx := newFixture(t)
	other := id("stats.summary")
	dst := fx.c.actionFile(other)
	os.MkdirAll(filepath.Dir(dst), 0o755)
	b, err := os.ReadFile(fx.c.actionFile(fx.id))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if e, err := fx.c.GetAction(other); !errors.Is(err, ErrMiss) || e != nil {
		t.Errorf("copied entry: GetAction = %v, %v; want a miss", e, err)
	}
	if _, err := fx.c.GetAction(fx.id); err != nil {
		t.Errorf("original entry: %v", err)
	}
	if err := fx.c.PutAction(other, fx.entry); err == nil {
		t.Error("PutAction accepted key lines that hash to another key")
	}
}

// TestHashMemoSeesInPlaceEdit: an input edited in place with its mtime
// restored keeps size, mtime and inode, but not its ctime (which no user
// call can set): the memo must re-hash it.
func TestHashMemoSeesInPlaceEdit(t *testing.T) {
	p := writeFile(t, t.TempDir(), "in.csv", "a,b\n1,2\n")
	past(t, p, time.Hour)
	m, reads := countingMemo(t, filepath.Join(t.TempDir(), "memo"))
	if sha, _, _ := m.File(p); sha != sum("a,b\n1,2\n") {
		t.Fatal("first hash wrong")
	}
	st, _ := os.Stat(p)
	time.Sleep(20 * time.Millisecond) // a coarse ctime clock must tick
	os.WriteFile(p, []byte("a,b\n9,2\n"), 0o644)
	os.Chtimes(p, st.ModTime(), st.ModTime())
	sha, _, err := m.File(p)
	if err != nil {
		t.Fatal(err)
	}
	if sha != sum("a,b\n9,2\n") || *reads != 2 {
		t.Errorf("after an in-place edit with mtime restored: %s after %d reads, want the new content's hash", short(sha), *reads)
	}
}

// TestHashMemoFileDamage: a byte flipped in the memo file (still valid
// JSON, a digest altered) must not turn into a wrong digest.
func TestHashMemoFileDamage(t *testing.T) {
	p := writeFile(t, t.TempDir(), "in.csv", "x\n")
	past(t, p, time.Hour)
	mp := filepath.Join(t.TempDir(), "memo")
	m, _ := countingMemo(t, mp)
	m.File(p)
	if err := m.Save(); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(mp)
	want := sum("x\n")
	i := strings.Index(string(b), want)
	if i < 0 {
		t.Fatalf("memo lacks the digest: %s", b)
	}
	alt := []byte(want)
	alt[10] = "0123456789abcdef"[(strings.IndexByte("0123456789abcdef", alt[10])+1)%16]
	copy(b[i:], alt)
	os.WriteFile(mp, b, 0o644)
	m2, err := OpenHashMemo(mp)
	if err != nil {
		t.Fatal(err)
	}
	if sha, _, _ := m2.File(p); sha != want {
		t.Errorf("damaged memo gave %s, want %s", short(sha), short(want))
	}
}

// bigEntry stores a blob larger than smallObject under an action and
// returns the key and object.
func bigEntry(t *testing.T, c *Cache) (ActionID, Object) {
	t.Helper()
	o, err := c.PutFile(writeFile(t, t.TempDir(), "model.onnx", strings.Repeat("w", 2*smallObject)))
	if err != nil {
		t.Fatal(err)
	}
	lines := []string{"key", "model"}
	k := ActionIDFromLines(lines)
	if err := c.PutAction(k, &ActionEntry{Outputs: []Output{{Name: "model", Object: o}}, KeyLines: lines}); err != nil {
		t.Fatal(err)
	}
	return k, o
}

// openWithMemo opens the cache in dir as a new process would, with the
// hash memo at memoPath (racy window shortened for freshly made files).
func openWithMemo(t *testing.T, dir, memoPath string) (*Cache, *HashMemo, *int) {
	t.Helper()
	m, reads := countingMemo(t, memoPath)
	c, err := Open(dir, Options{Memo: m})
	if err != nil {
		t.Fatal(err)
	}
	return c, m, reads
}

// TestLargeObjectDamageSeenThroughMemo: a large object altered in place
// with its mtime restored is found by the memo (its ctime moved), while
// an untouched one is not re-read on every lookup.
func TestLargeObjectDamageSeenThroughMemo(t *testing.T) {
	dir, memoPath := filepath.Join(t.TempDir(), "cache"), filepath.Join(t.TempDir(), "memo")
	c, m, _ := openWithMemo(t, dir, memoPath)
	k, o := bigEntry(t, c)
	time.Sleep(20 * time.Millisecond)
	if _, err := c.GetAction(k); err != nil {
		t.Fatal(err)
	}
	m.Save()
	time.Sleep(20 * time.Millisecond)

	c, m, reads := openWithMemo(t, dir, memoPath)
	if _, err := c.GetAction(k); err != nil || *reads != 1 {
		t.Fatalf("first look from another process: err %v, %d reads; want a hit after one read", err, *reads)
	}
	m.Save()
	time.Sleep(20 * time.Millisecond)
	c, m, reads = openWithMemo(t, dir, memoPath)
	if _, err := c.GetAction(k); err != nil || *reads != 0 {
		t.Fatalf("unchanged large object: err %v, %d reads; want a hit without reading it", err, *reads)
	}
	m.Save()
	time.Sleep(20 * time.Millisecond)
	damageInPlace(t, c.objectFile(o.SHA256), smallObject)

	c, _, _ = openWithMemo(t, dir, memoPath)
	if _, err := c.GetAction(k); !errors.Is(err, ErrMiss) || !errors.Is(err, ErrCorrupt) {
		t.Fatalf("damaged large object: GetAction err = %v, want a miss saying it is damaged", err)
	}
	// The damage stays known after the object left the store.
	if _, err := c.ObjectPath(o); !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "quarantine") {
		t.Errorf("quarantined object: err = %v, want ErrCorrupt naming the quarantine", err)
	}
}

// TestCacheLock: gc's exclusive lock waits for every shared (apply) lock
// on the cache, from any process or workspace, and the other way round.
func TestCacheLock(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cache")
	a, _ := Open(dir, Options{})
	b, _ := Open(dir, Options{})
	ctx := context.Background()
	u1, err := a.Lock(ctx, Shared, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	u2, err := b.Lock(ctx, Shared, 100*time.Millisecond, nil)
	if err != nil {
		t.Fatalf("two shared locks: %v", err)
	}
	if _, err := b.Lock(ctx, Exclusive, 100*time.Millisecond, nil); err == nil || !strings.Contains(err.Error(), "using this cache") {
		t.Fatalf("exclusive lock beside shared ones: err = %v", err)
	}
	u1()
	u2()
	u3, err := b.Lock(ctx, Exclusive, 100*time.Millisecond, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Lock(ctx, Shared, 100*time.Millisecond, nil); err == nil || !strings.Contains(err.Error(), "by process") {
		t.Fatalf("shared lock during gc: err = %v", err)
	}
	u3()
}

// TestGCFindsDamage: gc checks what it keeps as cheaply as a read does
// and quarantines damage (a symlinked blob, a wrong size, a small blob
// with wrong bytes, an entry under another key); gc's deep check finds a
// large blob whose bytes changed without its attributes telling.
func TestGCFindsDamage(t *testing.T) {
	fx := newFixture(t)
	kBig, big := bigEntry(t, fx.c)
	copied := id("copied")
	b, _ := os.ReadFile(fx.c.actionFile(kBig))
	os.MkdirAll(filepath.Dir(fx.c.actionFile(copied)), 0o755)
	os.WriteFile(fx.c.actionFile(copied), b, 0o644)
	damageInPlace(t, fx.c.objectFile(fx.file.SHA256), 0)
	member := fx.c.objectFile(sum(`{"n_layer":2}`))
	os.Remove(member)
	os.Symlink(writeFile(t, t.TempDir(), "c", `{"n_layer":2}`), member)

	st, err := fx.c.GC([]ActionID{fx.id, kBig, copied}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if st.Damaged != 3 {
		t.Errorf("GC damaged = %d, want 3 (small blob, symlinked member, copied entry): %+v", st.Damaged, st)
	}
	// The large blob's damage shows in no attribute the store keeps
	// (no memo here): only the deep check reads it.
	c2, _ := Open(fx.c.Dir(), Options{})
	damageInPlace(t, c2.objectFile(big.SHA256), 5)
	sc, err := c2.VerifyStore()
	if err != nil {
		t.Fatal(err)
	}
	if sc.Damaged != 1 || sc.Entries != 2 {
		t.Errorf("VerifyStore = %+v, want 1 damaged of 2 entries", sc)
	}
	if _, err := c2.GetAction(kBig); !errors.Is(err, ErrMiss) {
		t.Errorf("after VerifyStore: GetAction err = %v, want a miss", err)
	}
	if n := len(quarantined(t, c2)); n != 8 { // 4 damaged files, each with its note
		t.Errorf("quarantine holds %d files, want 8: %v", n, quarantined(t, c2))
	}
}

// TestMaterializeKeepsObjectCtime: placing an object that is already in
// place must not touch the object (a probe link would change its ctime,
// and every later read would re-hash it as if it had been written).
func TestMaterializeKeepsObjectCtime(t *testing.T) {
	c, _ := newCache(t)
	o, err := c.PutFile(writeFile(t, t.TempDir(), "f", "content"))
	if err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(t.TempDir(), "out", "f")
	if err := c.Materialize(o, dst); err != nil {
		t.Fatal(err)
	}
	before, _ := os.Stat(c.objectFile(o.SHA256))
	time.Sleep(20 * time.Millisecond)
	if err := c.Materialize(o, dst); err != nil {
		t.Fatal(err)
	}
	after, _ := os.Stat(c.objectFile(o.SHA256))
	if fileIDOf(before) != fileIDOf(after) {
		t.Errorf("a no-op Materialize changed the object's attributes: %+v -> %+v", fileIDOf(before), fileIDOf(after))
	}
}
