package cache

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestGC(t *testing.T) {
	c, _ := newCache(t)
	dir := t.TempDir()
	put := func(name, content string) Object {
		o, err := c.PutFile(writeFile(t, dir, name, content))
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	shared := put("shared", "shared by both actions")
	onlyA := put("a", "only a")
	onlyB := put("b", "only b, 17 bytes")
	loose := put("loose", "kept by the manifest")
	gone := put("gone", "referenced by nothing")
	tree, err := c.PutDir(makeTree(t))
	if err != nil {
		t.Fatal(err)
	}
	idA, idB := id("a"), id("b")
	c.PutAction(idA, &ActionEntry{Outputs: []Output{{Name: "x", Object: shared}, {Name: "y", Object: onlyA}, {Name: "m", Object: tree}}})
	c.PutAction(idB, &ActionEntry{Outputs: []Output{{Name: "x", Object: shared}, {Name: "y", Object: onlyB}}})
	entryB, _ := os.Stat(c.actionFile(idB))
	if _, err := c.ObjectPath(tree); err != nil { // assemble trees/<sha>
		t.Fatal(err)
	}

	st, err := c.GC([]ActionID{idA}, []string{loose.SHA256, "not-a-digest"})
	if err != nil {
		t.Fatal(err)
	}
	want := GCStats{Actions: 1, Objects: 2, Bytes: entryB.Size() + onlyB.Size + gone.Size}
	if st != want {
		t.Errorf("GC = %+v, want %+v", st, want)
	}
	if _, err := c.GetAction(idA); err != nil {
		t.Errorf("kept action: %v", err)
	}
	if _, err := c.GetAction(idB); !errors.Is(err, ErrMiss) {
		t.Errorf("removed action: %v", err)
	}
	for _, o := range []Object{shared, onlyA, loose, tree} {
		if _, err := c.ObjectPath(o); err != nil {
			t.Errorf("kept object %s: %v", short(o.SHA256), err)
		}
	}
	for _, o := range []Object{onlyB, gone} {
		if _, err := c.ObjectPath(o); !errors.Is(err, ErrMissing) {
			t.Errorf("collected object %s: %v", short(o.SHA256), err)
		}
	}

	// Keeping nothing empties the store, assembled folders included.
	st, err = c.GC(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if st.Actions != 1 || st.Objects != 9 { // shared, onlyA, loose, tree listing + 5 members
		t.Errorf("second GC = %+v", st)
	}
	if ents, _ := os.ReadDir(c.treeDir("")); len(ents) != 0 {
		t.Errorf("assembled folders left: %v", ents)
	}
}

func TestGCStrayTempFiles(t *testing.T) {
	c, _ := newCache(t)
	o, err := c.PutFile(writeFile(t, t.TempDir(), "f", "kept"))
	if err != nil {
		t.Fatal(err)
	}
	k := id("k")
	if err := c.PutAction(k, &ActionEntry{Outputs: []Output{{Name: "f", Object: o}}}); err != nil {
		t.Fatal(err)
	}
	// What a killed apply leaves: temporary files, old and new.
	objs := filepath.Join(c.Dir(), objectsDir)
	old := writeFile(t, objs, ".put.tmp-old", "half")
	young := writeFile(t, objs, ".put.tmp-young", "half")
	tm := time.Now().Add(-2 * tempGrace)
	os.Chtimes(old, tm, tm)
	if _, err := c.GetAction(k); err != nil {
		t.Fatalf("stray temp files broke a hit: %v", err)
	}
	if _, err := c.GC([]ActionID{k}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(old); !os.IsNotExist(err) {
		t.Error("old temp file kept")
	}
	if _, err := os.Stat(young); err != nil {
		t.Error("young temp file (maybe a write in progress) removed")
	}
	if _, err := c.GetAction(k); err != nil {
		t.Errorf("after GC: %v", err)
	}
}
