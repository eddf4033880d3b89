// Package artifacts owns the artifact contracts and formats: the Arrow
// schemas of the tables stages exchange (the runs table, runs/v2, and the
// analysis tables), deterministic Parquet, CSV and JSON lines writers and
// readers, atomic file writes, and the table view behind tr119 show. It
// imports nothing of tr119; the results manifest is package manifest.
package artifacts
