package manifest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/tr119/tr119/artifacts"
)

// Write writes the manifest to path atomically, in its canonical form
// (see Marshal).
func (m *Manifest) Write(path string) error {
	b, err := m.Marshal()
	if err != nil {
		return fmt.Errorf("write manifest %s: %w", path, err)
	}
	if err := artifacts.WriteFileAtomic(path, b, 0o644); err != nil {
		return fmt.Errorf("write manifest: %w", err)
	}
	return nil
}

// Marshal returns the manifest's canonical JSON: every list sorted (by
// name), map keys sorted, variable values re-encoded compactly, times in
// UTC, two-space indentation and a final newline. The same content
// always gives the same bytes, whatever order it was assembled in; m
// itself is not modified.
func (m *Manifest) Marshal() ([]byte, error) {
	c := *m
	c.Subject = sortedBy(m.Subject, func(s Subject) string { return s.Name })
	bd := &c.Predicate.BuildDefinition
	bd.ResolvedDependencies = sortedBy(bd.ResolvedDependencies, func(r ResourceDescriptor) string { return r.Name })
	bd.ExternalParameters.Pipeline = sortedBy(bd.ExternalParameters.Pipeline, func(r ResourceDescriptor) string { return r.Name })
	vars, err := canonicalVars(bd.ExternalParameters.Variables)
	if err != nil {
		return nil, err
	}
	bd.ExternalParameters.Variables = vars
	rd := &c.Predicate.RunDetails
	rd.Metadata.StartedOn = rd.Metadata.StartedOn.UTC()
	rd.Metadata.FinishedOn = rd.Metadata.FinishedOn.UTC()
	rd.Byproducts = sortedBy(rd.Byproducts, func(s StageRecord) string { return s.Name })
	for i := range rd.Byproducts {
		f := &rd.Byproducts[i].Annotations
		f.Inputs = sortedBy(f.Inputs, func(in StageInput) string { return in.Name + "\x00" + in.SHA256 })
		f.Outputs = sortedBy(f.Outputs, func(s string) string { return s })
		if e := f.OutputsFrom; e != nil {
			c := *e
			c.FinishedOn = c.FinishedOn.UTC()
			c.Inputs = sortedBy(c.Inputs, func(in StageInput) string { return in.Name + "\x00" + in.SHA256 })
			f.OutputsFrom = &c
		}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(&c); err != nil {
		return nil, fmt.Errorf("encode manifest: %w", err)
	}
	return buf.Bytes(), nil
}

// sortedBy returns a sorted copy of s (never nil for the top-level lists,
// so they encode as [] rather than null).
func sortedBy[T any](s []T, key func(T) string) []T {
	c := append(make([]T, 0, len(s)), s...)
	slices.SortStableFunc(c, func(a, b T) int { return strings.Compare(key(a), key(b)) })
	return c
}

// canonicalVars re-encodes each variable value so that object keys are
// sorted and whitespace is gone; numbers keep their text.
func canonicalVars(vars map[string]json.RawMessage) (map[string]json.RawMessage, error) {
	if len(vars) == 0 {
		return nil, nil
	}
	out := make(map[string]json.RawMessage, len(vars))
	for k, raw := range vars {
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		var v any
		if err := dec.Decode(&v); err != nil || dec.More() {
			return nil, fmt.Errorf("variable %q: value is not one JSON value", k)
		}
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(v); err != nil {
			return nil, fmt.Errorf("variable %q: %w", k, err)
		}
		out[k] = bytes.TrimSuffix(b.Bytes(), []byte("\n"))
	}
	return out, nil
}
