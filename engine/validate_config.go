package engine

import "github.com/zclconf/go-cty/cty"

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
