// Package plot is the plot stage kind: it draws the figures of the TR119
// report's appendix B from the cost stage's tables (and, for latency, the
// stats stage's cell table) with gonum.org/v1/plot. Per mode present it
// draws mean latency, throughput, total cost per 1M tokens, cost by
// pricing tier, energy and carbon per 1M tokens, and cost versus
// throughput, with 95% CI error bars, as PNG and SVG, plus index.json.
//
// Figures are byte-deterministic: gonum/plot's embedded Liberation fonts
// are used (no system fonts), every series is sorted, and neither the SVG
// nor the PNG writer adds timestamps. Cells without energy are drawn as a
// gap marked "n/a", never as zero.
package plot
