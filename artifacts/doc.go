// Package artifacts owns the artifact contracts and formats: the Arrow
// schemas of the tables stages exchange (the runs table, runs/v2, and the
// analysis tables), deterministic Parquet and JSON writers and readers, the
// manifest (an in-toto Statement v1 with a SLSA-provenance-shaped
// predicate) and its verification. It imports nothing of tr119.
package artifacts
