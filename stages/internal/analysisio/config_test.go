package analysisio

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"
)

func TestNumberOrMap(t *testing.T) {
	tests := []struct {
		name  string
		v     cty.Value
		all   float64
		by    map[string]float64
		error string
	}{
		{"number", cty.NumberFloatVal(1.006), 1.006, nil, ""},
		{"object", cty.ObjectVal(map[string]cty.Value{"gpu": cty.NumberFloatVal(1), "cpu": cty.NumberFloatVal(0.17)}), 0, map[string]float64{"gpu": 1, "cpu": 0.17}, ""},
		{"string", cty.StringVal("cheap"), 0, nil, "p: want a number or a map of numbers by device class, got string"},
		{"object of strings", cty.ObjectVal(map[string]cty.Value{"gpu": cty.StringVal("x")}), 0, nil, "p.gpu: want a number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			all, by, err := NumberOrMap(tt.v, "p")
			if tt.error != "" {
				if err == nil || !strings.Contains(err.Error(), tt.error) {
					t.Errorf("error %v, want %q", err, tt.error)
				}
				return
			}
			if err != nil || all != tt.all || len(by) != len(tt.by) {
				t.Fatalf("got %v %v %v", all, by, err)
			}
			for k, v := range tt.by {
				if by[k] != v {
					t.Errorf("%s = %v, want %v", k, by[k], v)
				}
			}
		})
	}
}

func TestWriteJSONDeterministicAndNulls(t *testing.T) {
	dir := t.TempDir()
	v := map[string]any{"b": Opt(math.NaN()), "a": Opt(0.1), "c": []any{Opt(math.Inf(1)), 2}}
	for _, f := range []string{"x.json", "y.json"} {
		if err := WriteJSON(dir, f, v); err != nil {
			t.Fatal(err)
		}
	}
	x, _ := os.ReadFile(filepath.Join(dir, "x.json"))
	y, _ := os.ReadFile(filepath.Join(dir, "y.json"))
	want := "{\n  \"a\": 0.1,\n  \"b\": null,\n  \"c\": [\n    null,\n    2\n  ]\n}\n"
	if string(x) != want || string(y) != string(x) {
		t.Errorf("got %q, want %q", x, want)
	}
}
