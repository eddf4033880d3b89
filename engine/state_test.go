package engine

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestStateDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state")
	s := OpenState(dir)
	if got := s.Get("stage.a.b"); got != nil {
		t.Fatalf("empty state gave %+v", got)
	}
	if keys, err := s.Keys(); err != nil || keys != nil {
		t.Fatalf("keys of no state: %v %v", keys, err)
	}
	for _, st := range []*StageState{{Addr: "stage.a.b", Key: "k2"}, {Addr: "stage.a.c", Key: "k1"}} {
		if err := s.Put(st); err != nil {
			t.Fatal(err)
		}
	}
	if got := s.Get("stage.a.b"); got == nil || got.Key != "k2" {
		t.Fatalf("got %+v", got)
	}
	if keys, err := s.Keys(); err != nil || !slices.Equal(keys, []string{"k1", "k2"}) {
		t.Fatalf("keys %v %v", keys, err)
	}
	tests := []struct{ name, content string }{
		{"truncated", `{"addr": "stage.a.b", "key`},
		{"other stage", `{"addr": "stage.x.y", "key": "k"}`},
		{"not json", "\x00\x01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := os.WriteFile(filepath.Join(dir, "stage.a.b.json"), []byte(tt.content), 0o644); err != nil {
				t.Fatal(err)
			}
			if got := s.Get("stage.a.b"); got != nil {
				t.Fatalf("damaged state read as %+v", got)
			}
		})
	}
}
