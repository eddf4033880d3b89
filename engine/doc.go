// Package engine owns the pipeline: it decodes HCL workspaces (variables,
// locals, data blocks, stages, functions), turns references into a DAG,
// computes action keys and plans (run, rerun, cached), and applies a plan
// with a bounded parallel walk that honours exclusive resources. Stage
// kinds are known to it only through the Kind interface defined here.
package engine
