// Package importstage owns the `import` stage kind: it reads a CSV,
// JSON-lines or Parquet file of the workspace into a typed, deterministic
// Parquet table artifact, optionally checked against a named table
// contract (e.g. "runs/v2"), so analyses can run on data measured
// elsewhere. The file's hash is part of the stage's action key.
package importstage
