// Package analysisio is the I/O shared by the analysis stages (cost,
// stats, validate): it reads runs tables (runs/v2 Parquet) into
// runs.Rows, reads their own upstream tables, decodes common cty
// attributes, and writes deterministic Parquet tables and JSON summaries
// (NaN becomes null). The stages stay thin and never import each other.
package analysisio
