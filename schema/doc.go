// Package schema describes the body of a stage kind or data block: its
// attributes (type, required or optional, default, allowed values or
// range, a one-line description) and nested blocks, plus cross-field
// rules. One description serves four purposes:
//
//   - Body.Spec gives the hcldec spec the engine decodes a body with;
//   - Body.Validate checks a decoded value and reports each violation as a
//     PathError whose cty.Path names the attribute (the engine turns the
//     path into a source range). Unknown values are skipped, so the same
//     call works at validate time (upstream outputs unknown) and at apply;
//   - Decode fills defaults and converts a value into a Go struct with
//     `cty:"name"` field tags (gocty);
//   - Body.Fields lists every attribute with its documentation, for
//     `tr119 kinds` and the generated reference in docs/kinds.
//
// The package knows nothing of the engine: artifact-valued attributes are
// declared with the engine's artifact type like any other object type.
package schema
