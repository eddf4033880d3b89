// Package kindref renders the reference of a stage kind or data block
// from its schema and KindInfo: its inputs (types, defaults, allowed
// values, descriptions), rules and outputs, as plain text for
// `tr119 kinds KIND` and as Markdown for docs/kinds. Both come from the
// same schema, so they cannot drift from what `validate` checks.
package kindref
