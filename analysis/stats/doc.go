// Package stats owns tr119's statistics: descriptive summaries with t
// confidence intervals, one-way ANOVA, Kruskal-Wallis with tie correction,
// Student's pooled and Welch's t-tests, Cohen's d and Holm's correction.
// The distributions come from gonum's distuv; the tests are written here
// so that every formula is visible and documented (docs/analysis.md).
package stats
