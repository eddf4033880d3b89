// Package cost owns tr119's cost, energy and carbon model, the report's
// sections 4, 5, 11 and appendix A made explicit: per-cell seconds, hours,
// kWh and gCO2e per 1M tokens with 95% t-CIs across repetitions; $ per 1M
// tokens for every pricing tier (per device class) plus energy-only and an
// amortised local tier; aggregation across scenarios on time (default) or
// arithmetic throughput (the report's request tables), optionally weighted
// by a workload mix; scenario winners; request-level cost; TCO and savings.
//
// Missing values are NaN in the result (null in the tables): a cell
// without energy still gets its infra cost. The package does no I/O.
package cost
