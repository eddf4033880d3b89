package engine

import (
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"
)

func art(path string) cty.Value {
	return Artifact{Path: path, SHA256: "00", Available: true}.Value()
}

func TestExpandStageInputs(t *testing.T) {
	ins := []StageInput{
		{Attr: "cost", Kind: "cost", Fills: map[string]string{"cells": "cells", "json": "cost_json"}},
		{Attr: "benchmarks", Kind: "benchmark", Many: true, Fills: map[string]string{"runs": "runs"}},
	}
	cost := cty.ObjectVal(map[string]cty.Value{"cells": art("/c"), "json": art("/j"), "reps": art("/r")})
	bench := func(p string) cty.Value {
		return cty.ObjectVal(map[string]cty.Value{"runs": art(p), "environment": art(p + "e")})
	}
	null := cty.NullVal(cty.DynamicPseudoType)
	obj := func(m map[string]cty.Value) cty.Value {
		base := map[string]cty.Value{"cost": null, "benchmarks": null, "cells": cty.NullVal(ArtifactType),
			"cost_json": cty.NullVal(ArtifactType), "runs": cty.NullVal(cty.List(ArtifactType)), "title": cty.StringVal("t")}
		for k, v := range m {
			base[k] = v
		}
		return cty.ObjectVal(base)
	}
	paths := func(v cty.Value, attr string) string {
		x := v.GetAttr(attr)
		if x.Type().IsListType() {
			var ps []string
			for _, e := range x.AsValueSlice() {
				ps = append(ps, e.GetAttr("path").AsString())
			}
			return strings.Join(ps, ",")
		}
		return x.GetAttr("path").AsString()
	}
	tests := []struct {
		name    string
		in      cty.Value
		want    map[string]string
		wantErr string
	}{
		{"whole cost", obj(map[string]cty.Value{"cost": cost}), map[string]string{"cells": "/c", "cost_json": "/j"}, ""},
		{"for_each instances in key order", obj(map[string]cty.Value{"benchmarks": cty.ObjectVal(map[string]cty.Value{"b": bench("/b"), "a": bench("/a")})}),
			map[string]string{"runs": "/a,/b"}, ""},
		{"one stage for many", obj(map[string]cty.Value{"benchmarks": bench("/x")}), map[string]string{"runs": "/x"}, ""},
		{"a list", obj(map[string]cty.Value{"benchmarks": cty.TupleVal([]cty.Value{bench("/2"), bench("/1")})}), map[string]string{"runs": "/2,/1"}, ""},
		{"both set", obj(map[string]cty.Value{"cost": cost, "cells": art("/other")}), nil, "cost: cost fills cells (its cells output); set one of them, not both"},
		{"wrong kind", obj(map[string]cty.Value{"cost": bench("/b")}), nil, `cost: want a whole cost stage (stage.cost.NAME), got an object with environment, runs and no "cells"`},
		{"an output, not a stage", obj(map[string]cty.Value{"cost": art("/c")}), nil, "cost: want a whole cost stage, as in cost = stage.cost.NAME, got one stage output"},
		{"not an object", obj(map[string]cty.Value{"cost": cty.StringVal("x")}), nil, "cost: want a whole cost stage, as in cost = stage.cost.NAME, got string"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := expandStageInputs(tt.in, ins)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("err %v, want %s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Type().HasAttribute("cost") || got.Type().HasAttribute("benchmarks") {
				t.Errorf("whole-stage arguments left in the config: %#v", got)
			}
			for attr, want := range tt.want {
				if p := paths(got, attr); p != want {
					t.Errorf("%s = %s, want %s", attr, p, want)
				}
			}
		})
	}
	// Unknown upstream stays unknown, and so does the key.
	got, err := expandStageInputs(obj(map[string]cty.Value{"benchmarks": cty.DynamicVal, "cost": cty.DynamicVal}), ins)
	if err != nil || got.GetAttr("runs").IsKnown() || got.GetAttr("cells").IsKnown() {
		t.Errorf("unknown: %#v %v", got, err)
	}
}

type inputsKind struct{ cfgTestKind }

func (inputsKind) StageInputs() []StageInput {
	return []StageInput{{Attr: "cost", Kind: "cost", Doc: "A whole cost stage.", Fills: map[string]string{"table": "input", "summary": "extra"}}}
}

func TestDocSchema(t *testing.T) {
	k, _ := testRegistry().Kind("stats")
	sch := DocSchema(inputsKind{k.(cfgTestKind)})
	last := sch.Attrs[len(sch.Attrs)-1]
	if last.Name != "cost" || last.TypeName != "stage.cost.NAME" || last.Doc != "A whole cost stage. Fills extra, input; set either it or those." {
		t.Errorf("%+v", last)
	}
	if len(k.Schema().Attrs) != len(sch.Attrs)-1 {
		t.Errorf("the kind's own schema changed")
	}
}
