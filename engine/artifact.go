package engine

import (
	"fmt"

	"github.com/zclconf/go-cty/cty"
)

// Artifact is one stage output as a consumer sees it. In HCL a reference
// such as stage.import.runs.table evaluates to an object of ArtifactType;
// the cty tags let a kind decode it straight into this struct (gocty).
type Artifact struct {
	// Path is the absolute path of the read-only file or folder.
	Path string `cty:"path"`
	// SHA256 is the hex digest of the file, or of a folder's tree listing.
	SHA256 string `cty:"sha256"`
	// Size is the file size in bytes (a folder: the sum of its files).
	Size int64 `cty:"size"`
	// MediaType is the output's media type.
	MediaType string `cty:"media_type"`
	// Dir is true for a folder artifact.
	Dir bool `cty:"dir"`
	// Stage is the producing stage's address.
	Stage string `cty:"stage"`
	// Available is false when the producing stage finished unavailable;
	// Reason then says why and Path and SHA256 are empty.
	Available bool `cty:"available"`
	// Reason explains an unavailable artifact.
	Reason string `cty:"reason"`
}

// ArtifactType is the cty object type of an artifact value.
var ArtifactType = cty.Object(map[string]cty.Type{
	"path":       cty.String,
	"sha256":     cty.String,
	"size":       cty.Number,
	"media_type": cty.String,
	"dir":        cty.Bool,
	"stage":      cty.String,
	"available":  cty.Bool,
	"reason":     cty.String,
})

// Value returns the artifact as a cty value of ArtifactType.
func (a Artifact) Value() cty.Value {
	return cty.ObjectVal(map[string]cty.Value{
		"path":       cty.StringVal(a.Path),
		"sha256":     cty.StringVal(a.SHA256),
		"size":       cty.NumberIntVal(a.Size),
		"media_type": cty.StringVal(a.MediaType),
		"dir":        cty.BoolVal(a.Dir),
		"stage":      cty.StringVal(a.Stage),
		"available":  cty.BoolVal(a.Available),
		"reason":     cty.StringVal(a.Reason),
	})
}

// ArtifactFromValue converts a cty value of ArtifactType back to an
// Artifact. It is what kinds call on their artifact-valued attributes.
func ArtifactFromValue(v cty.Value) (Artifact, error) {
	if v.IsNull() || !v.IsKnown() {
		return Artifact{}, fmt.Errorf("artifact value is null or unknown")
	}
	if !v.Type().IsObjectType() {
		return Artifact{}, fmt.Errorf("expected an artifact (a stage output reference), got %s", v.Type().FriendlyName())
	}
	for name := range ArtifactType.AttributeTypes() {
		if !v.Type().HasAttribute(name) {
			return Artifact{}, fmt.Errorf("expected an artifact (a stage output reference): attribute %q missing", name)
		}
	}
	str := func(n string) string {
		x := v.GetAttr(n)
		if x.IsNull() || x.Type() != cty.String {
			return ""
		}
		return x.AsString()
	}
	boolean := func(n string) bool {
		x := v.GetAttr(n)
		return !x.IsNull() && x.Type() == cty.Bool && x.True()
	}
	var size int64
	if s := v.GetAttr("size"); !s.IsNull() && s.Type() == cty.Number {
		size, _ = s.AsBigFloat().Int64()
	}
	return Artifact{
		Path:      str("path"),
		SHA256:    str("sha256"),
		Size:      size,
		MediaType: str("media_type"),
		Dir:       boolean("dir"),
		Stage:     str("stage"),
		Available: boolean("available"),
		Reason:    str("reason"),
	}, nil
}
