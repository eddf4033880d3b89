// Package mutation makes mutants of a pipeline file at the HCL syntax
// level: literal values replaced by plausible mistakes (0, -1, 2.5, 1e400,
// typos, empty or 5000-character strings, empty or shortened lists, maps
// missing a key), attributes and nested blocks removed. The campaign test
// holds the language to its promise: whatever `validate` accepts must
// `apply` cleanly on the tiny preset.
package mutation
