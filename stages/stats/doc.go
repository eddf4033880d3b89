// Package stats is the "stats" stage kind: per-cell descriptive statistics
// over repetitions (from the runs tables) and, from the cost stage's
// cell_tiers table, the report's section 10 per mode: each backend's mean
// cost across scenarios with a 95% CI, one-way ANOVA, Kruskal-Wallis, and
// pairwise Student and Welch t-tests with % change, Cohen's d and Holm
// correction. The math lives in analysis/stats.
package stats
