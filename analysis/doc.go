// Package analysis is the root of tr119's pure analysis code: no I/O, no
// Arrow, no HCL. Its subpackages own one thing each:
//
//   - runs:   groups runs-table rows into cells and repetition samples
//   - cost:   the cost, energy and carbon model (report sections 4, 5, 11, A)
//   - stats:  descriptive statistics and hypothesis tests (report section 10)
//   - checks: validation findings (report section 6.3 and more)
//
// The stages (stages/cost, stages/stats, stages/validate) read artifacts,
// call these packages and write artifacts.
package analysis
