package engine

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"
)

func TestWalkConfig(t *testing.T) {
	art := Artifact{Path: "/c/x", SHA256: "abc", Available: true, Stage: "stage.a.b"}.Value()
	cfg := cty.ObjectVal(map[string]cty.Value{
		"runs": cty.ListVal([]cty.Value{art}),
		"pricing": cty.ObjectVal(map[string]cty.Value{
			"on_demand": cty.NumberFloatVal(1.006),
			"tier":      cty.StringVal("a<b"),
		}),
		"tags":  cty.MapVal(map[string]cty.Value{"k": cty.True}),
		"empty": cty.ListValEmpty(cty.String),
		"none":  cty.NullVal(cty.String),
	})
	w, err := walkConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	wantJSON := `{"empty":[],"none":null,"pricing":{"on_demand":1.006,"tier":"a<b"},"runs":["input:runs[0]"],"tags":{"k":true}}`
	if w.JSON != wantJSON {
		t.Errorf("json\n got %s\nwant %s", w.JSON, wantJSON)
	}
	if len(w.Inputs) != 1 || w.Inputs[0].Name != "runs[0]" || w.Inputs[0].Artifact.SHA256 != "abc" {
		t.Errorf("inputs %+v", w.Inputs)
	}
	wantLeaves := map[string]string{"empty": "[]", "none": "null", "pricing.on_demand": "1.006",
		"pricing.tier": `"a<b"`, `tags["k"]`: "true"}
	for k, v := range wantLeaves {
		if w.Leaves[k] != v {
			t.Errorf("leaf %s = %q, want %q (all: %v)", k, w.Leaves[k], v, w.Leaves)
		}
	}
	if len(w.Leaves) != len(wantLeaves) {
		t.Errorf("leaves %v", w.Leaves)
	}
}

func TestWalkConfigUnknown(t *testing.T) {
	cfg := cty.ObjectVal(map[string]cty.Value{"model": cty.UnknownVal(ArtifactType)})
	w, err := walkConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(w.Unknown, []string{"model"}) {
		t.Fatalf("unknown %q", w.Unknown)
	}
}

func TestBuildKey(t *testing.T) {
	w := &configWalk{JSON: `{"a":1}`, Inputs: []keyInput{
		{Name: "model", Artifact: Artifact{SHA256: "m1", Available: true}},
		{Name: "runs[0]", Artifact: Artifact{Reason: "no gpu"}},
	}}
	files := []keyFile{{"z.csv", "z1"}, {"a.csv", "a1"}, {"a.csv", "a1"}}
	k := buildKey(KindInfo{Name: "cost", Version: "2"}, w, files)
	want := "tr119 key v2\nkind cost 2\nconfig {\"a\":1}\ninput model m1\ninput runs[0] unavailable\nfile a.csv a1\nfile z.csv z1"
	if got := strings.Join(k.Lines, "\n"); got != want {
		t.Fatalf("lines\n%s\nwant\n%s", got, want)
	}
	// The key is the SHA-256 of the lines, each ending in a newline.
	if sum := sha256.Sum256([]byte(want + "\n")); k.String() != hex.EncodeToString(sum[:]) {
		t.Fatalf("key %s is not the hash of its lines", k)
	}
	if k2 := buildKey(KindInfo{Name: "cost", Version: "3"}, w, files); k2.ID == k.ID {
		t.Fatal("kind version is not in the key")
	}
}

func TestDiffReasons(t *testing.T) {
	old := &StageState{Kind: "cost", KindVersion: "1", Key: "k1",
		Config: map[string]string{"pricing.on_demand": "1.006", "gone": "1"},
		Inputs: map[string]string{"runs[0]": "a"}, Files: map[string]string{"data.csv": "f1"}}
	now := &StageState{Kind: "cost", KindVersion: "2", Key: "k2",
		Config: map[string]string{"pricing.on_demand": "0.9", "new": `"x"`},
		Inputs: map[string]string{"runs[0]": "b"}, Files: map[string]string{"data.csv": "f2"}}
	want := []string{"kind cost version 1 -> 2", "gone: removed (was 1)", `new: added = "x"`,
		"pricing.on_demand: 1.006 -> 0.9", "input runs[0] changed", "file data.csv changed"}
	if got := diffReasons(old, now); !slices.Equal(got, want) {
		t.Fatalf("got %q\nwant %q", got, want)
	}
	if got := diffReasons(&StageState{Key: "a"}, &StageState{Key: "b"}); !slices.Equal(got, []string{"action key changed"}) {
		t.Fatalf("got %q", got)
	}
}
