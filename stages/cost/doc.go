// Package cost is the "cost" stage kind: it reads runs tables (runs/v2),
// groups them into cells (analysis/runs), prices them (analysis/cost) under
// the pipeline's pricing, energy, request and TCO blocks, and writes the
// cost tables (artifacts/analysis_cost.go) and a JSON summary. It is thin:
// decoding and I/O here, every formula in analysis/cost.
package cost
