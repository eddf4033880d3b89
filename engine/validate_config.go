package engine

import (
	"github.com/zclconf/go-cty/cty"

	"github.com/tr119/tr119/schema"
)

// CanonicalConfig returns the canonical JSON of an evaluated stage config
// as it appears on the "config" line of the stage's action key (artifacts
// replaced by their input names). Tests use it to prove that a change to
// a kind's schema leaves its keys alone.
func CanonicalConfig(v cty.Value) (string, error) {
	w, err := walkConfig(v)
	if err != nil {
		return "", err
	}
	return w.JSON, nil
}

// ArtifactAttr declares an attribute that takes one stage output (a
// reference such as stage.import.runs.table).
func ArtifactAttr(name string, required bool, doc string) *schema.Attr {
	return &schema.Attr{Name: name, Type: ArtifactType, TypeName: "artifact", Required: required, Doc: doc}
}

// ArtifactListAttr declares an attribute that takes a list of stage
// outputs.
func ArtifactListAttr(name string, required bool, doc string) *schema.Attr {
	return &schema.Attr{Name: name, Type: cty.List(ArtifactType), TypeName: "list of artifact", Required: required, Doc: doc}
}
