package cache

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestActionIDRoundTrip(t *testing.T) {
	tests := []struct {
		in      string
		wantErr bool
	}{
		{strings.Repeat("ab", 32), false},
		{strings.Repeat("AB", 32), false},
		{"", true},
		{strings.Repeat("a", 63), true},
		{strings.Repeat("zz", 32), true},
	}
	for _, tt := range tests {
		got, err := ParseActionID(tt.in)
		if (err != nil) != tt.wantErr {
			t.Errorf("ParseActionID(%q) err = %v", tt.in, err)
			continue
		}
		if err == nil && got.String() != strings.ToLower(tt.in) {
			t.Errorf("round trip %q -> %q", tt.in, got)
		}
	}
}

// fixture is a cache holding one action with a file and a folder output.
type fixture struct {
	c     *Cache
	log   *syncBuffer
	id    ActionID
	entry *ActionEntry
	file  Object
	dir   Object
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	c, log := newCache(t)
	f, err := c.PutFile(writeFile(t, t.TempDir(), "runs.parquet", "PAR1 some table bytes PAR1"))
	if err != nil {
		t.Fatal(err)
	}
	d, err := c.PutDir(makeTree(t))
	if err != nil {
		t.Fatal(err)
	}
	e := &ActionEntry{
		Outputs: []Output{
			{Name: "table", MediaType: "application/vnd.apache.parquet", Object: f},
			{Name: "dir", MediaType: "inode/directory", Object: d},
		},
		Environment: map[string]string{"cpu": "test cpu", "go": "go1.26"},
		Duration:    1500 * time.Millisecond,
		KeyLines:    []string{"key v1", "kind import 1", `attrs {"path":"a.csv"}`},
	}
	id := ActionIDFromLines(e.KeyLines)
	if err := c.PutAction(id, e); err != nil {
		t.Fatal(err)
	}
	return &fixture{c: c, log: log, id: id, entry: e, file: f, dir: d}
}

// age sets the entry's mtime an hour back, as it would be for an entry
// written in an earlier apply (so that a later write into an object is
// recognisably later).
func (fx *fixture) age(t *testing.T) {
	old := time.Now().Add(-time.Hour)
	if err := os.Chtimes(fx.c.actionFile(fx.id), old, old); err != nil {
		t.Fatal(err)
	}
}

func TestActionRoundTrip(t *testing.T) {
	fx := newFixture(t)
	got, err := fx.c.GetAction(fx.id)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Outputs) != 2 || got.Outputs[0] != fx.entry.Outputs[0] || got.Outputs[1] != fx.entry.Outputs[1] {
		t.Errorf("outputs = %+v, want %+v", got.Outputs, fx.entry.Outputs)
	}
	if got.Duration != fx.entry.Duration || got.Environment["cpu"] != "test cpu" || len(got.KeyLines) != 3 {
		t.Errorf("entry = %+v", got)
	}
	if _, err := fx.c.GetAction(id("other")); !errors.Is(err, ErrMiss) {
		t.Errorf("absent key: err = %v, want ErrMiss", err)
	}
	if fx.log.String() != "" {
		t.Errorf("warnings on a clean cache: %s", fx.log)
	}
}

func TestPutActionMissingObject(t *testing.T) {
	c, _ := newCache(t)
	e := &ActionEntry{Outputs: []Output{{Name: "x", Object: Object{SHA256: sum("absent"), Size: 6}}}}
	if err := c.PutAction(id("a"), e); !errors.Is(err, ErrMissing) {
		t.Errorf("err = %v, want ErrMissing", err)
	}
}

// TestCorruptionIsAMiss damages the cache in every way we know and
// checks that GetAction reports a miss with a warning (never a crash or a
// hit), and that storing the outputs again repairs it.
func TestCorruptionIsAMiss(t *testing.T) {
	member := func(fx *fixture, name string) string {
		return fx.c.objectFile(sum(map[string]string{"config": `{"n_layer":2}`}[name]))
	}
	tests := []struct {
		name    string
		damage  func(t *testing.T, fx *fixture)
		warning string
	}{
		{"truncated entry", func(t *testing.T, fx *fixture) {
			p := fx.c.actionFile(fx.id)
			st, _ := os.Stat(p)
			os.Truncate(p, st.Size()-10)
		}, "damaged action entry"},
		{"entry cut after header", func(t *testing.T, fx *fixture) {
			p := fx.c.actionFile(fx.id)
			b, _ := os.ReadFile(p)
			os.WriteFile(p, b[:strings.IndexByte(string(b), '\n')], 0o644)
		}, "damaged action entry"},
		{"byte flipped in entry", func(t *testing.T, fx *fixture) {
			flipByte(t, fx.c.actionFile(fx.id), 120)
		}, "checksum mismatch"},
		{"empty entry", func(t *testing.T, fx *fixture) {
			os.WriteFile(fx.c.actionFile(fx.id), nil, 0o644)
		}, "damaged action entry"},
		{"object deleted", func(t *testing.T, fx *fixture) {
			os.Remove(fx.c.objectFile(fx.file.SHA256))
		}, "not in the cache"},
		{"object truncated", func(t *testing.T, fx *fixture) {
			os.Truncate(fx.c.objectFile(fx.file.SHA256), 3)
		}, "moved to quarantine"},
		{"byte flipped in object", func(t *testing.T, fx *fixture) {
			fx.age(t)
			flipByte(t, fx.c.objectFile(fx.file.SHA256), 5)
		}, "content hashes to"},
		{"tree member deleted", func(t *testing.T, fx *fixture) {
			os.Remove(member(fx, "config"))
		}, "config.json"},
		{"byte flipped in tree member", func(t *testing.T, fx *fixture) {
			fx.age(t)
			flipByte(t, member(fx, "config"), 0)
		}, "content hashes to"},
		{"tree listing deleted", func(t *testing.T, fx *fixture) {
			os.Remove(fx.c.objectFile(fx.dir.SHA256))
		}, "folder listing not in the cache"},
		{"tree listing altered", func(t *testing.T, fx *fixture) {
			flipByte(t, fx.c.objectFile(fx.dir.SHA256), 0)
		}, "listing hashes to"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fx := newFixture(t)
			tt.damage(t, fx)
			for i := 0; i < 2; i++ {
				e, err := fx.c.GetAction(fx.id)
				if !errors.Is(err, ErrMiss) || e != nil {
					t.Fatalf("GetAction #%d = %v, %v; want a miss", i+1, e, err)
				}
			}
			if !strings.Contains(fx.log.String(), "level=WARN") || !strings.Contains(fx.log.String(), tt.warning) {
				t.Errorf("log %q lacks a warning with %q", fx.log, tt.warning)
			}
			// A rerun stores the outputs and the entry again: a hit.
			repaired := newFixtureIn(t, fx.c)
			if _, err := fx.c.GetAction(repaired); err != nil {
				t.Errorf("after re-put: %v", err)
			}
		})
	}
}

// newFixtureIn stores the fixture's outputs and entry again in c, as a
// rerun of the stage would, and returns the key.
func newFixtureIn(t *testing.T, c *Cache) ActionID {
	t.Helper()
	f, err := c.PutFile(writeFile(t, t.TempDir(), "runs.parquet", "PAR1 some table bytes PAR1"))
	if err != nil {
		t.Fatal(err)
	}
	d, err := c.PutDir(makeTree(t))
	if err != nil {
		t.Fatal(err)
	}
	e := &ActionEntry{Outputs: []Output{{Name: "table", Object: f}, {Name: "dir", Object: d}}}
	if err := c.PutAction(id("import.runs"), e); err != nil {
		t.Fatal(err)
	}
	return id("import.runs")
}

func TestCheckpointDir(t *testing.T) {
	c, _ := newCache(t)
	k := id("bench")
	d := c.CheckpointDir(k)
	writeFile(t, d, "cell-1.json", "{}")
	if d2 := c.CheckpointDir(k); d2 != d {
		t.Fatalf("checkpoint dir moved: %s vs %s", d, d2)
	}
	if _, err := os.Stat(filepath.Join(d, "cell-1.json")); err != nil {
		t.Fatal("checkpoint lost:", err)
	}
	if _, err := c.GC(nil, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(d, "cell-1.json")); err != nil {
		t.Fatal("GC removed a checkpoint:", err)
	}
	if err := c.RemoveCheckpoint(k); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(d); !os.IsNotExist(err) {
		t.Errorf("checkpoint still there: %v", err)
	}
	if err := c.RemoveCheckpoint(k); err != nil {
		t.Errorf("second remove: %v", err)
	}
}
