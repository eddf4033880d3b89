// Package stages holds one subpackage per stage kind (import, export, model,
// benchmark, cost, stats, validate, plot, report). Stage packages meet only
// through artifacts: they never import each other. stages/all registers them.
package stages
