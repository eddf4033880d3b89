// Package validate is the "validate" stage kind: it runs analysis/checks
// over the runs tables and, when given, the cost stage's cells and cell
// tiers, and writes the findings (validation/v1) and a JSON summary with
// overall_valid. strict = true makes a failing check fail the stage.
package validate
