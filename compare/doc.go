// Package compare is the logic of `tr119 diff`: it loads two results
// folders (or their manifests), matches their cells (backend x scenario x
// mode), and tells per cell how throughput, energy per token and cost
// moved, with Welch's t-test on the per-repetition values of the two runs
// tables (analysis/stats), plus the environment keys that differ. A drop
// in throughput beyond a threshold is a regression, so the command can
// guard a CI job. Renderers write the result as text, Markdown or JSON.
package compare
