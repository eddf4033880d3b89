// Package engine owns the pipeline: it decodes HCL workspaces (variables,
// locals, data blocks, stages, functions), turns references into a DAG,
// computes action keys and plans (run, rerun, cached), and applies a plan
// with a bounded parallel walk that honours exclusive resources. Stage
// kinds are known to it only through the Kind interface defined here.
// After an apply, WriteResults places the results folder and its manifest
// (results*.go, manifest.go): digests from the store's records, tampered
// files restored, failed or untargeted stages keeping their last good
// outputs, and a staged switch so that a failure leaves the previous
// results intact (docs/manifest.md).
//
// # The pipeline language
//
// A workspace is a folder of .hcl files (or one named .hcl file; its
// folder is the workspace). Load reads it; these top-level blocks exist:
//
//	variable "NAME" {            # var.NAME
//	  type        = number       # any type constraint; optional(...) attributes allowed
//	  default     = 1.0          # a constant; without it the variable is required
//	  description = "..."
//	  validation {               # repeatable; var.NAME is in scope
//	    condition     = var.NAME > 0
//	    error_message = "..."
//	  }
//	}
//	locals { NAME = EXPR }       # local.NAME; several blocks allowed, may refer to each other
//	settings { NAME = "value" }  # tool-wide settings (onnxruntime_library, ...); in no key
//	scenario "NAME" { ... }      # a data block of a registered BlockKind: scenario.NAME
//	stage "KIND" "NAME" {        # stage.KIND.NAME.OUTPUT refers to one of its outputs,
//	  ...                        # stage.KIND.NAME to all of them; the kind's attributes
//	  depends_on = [stage.KIND.OTHER]   # explicit edges, when no reference shows the order
//	  for_each = MAP_OR_SET      # or count = N: instances stage.KIND.NAME["KEY"] / [N]
//	}
//
// for_each and count follow Terraform: each.key, each.value, count.index
// in the body; an instance is a Stage of its own (key, cache entry, state,
// results folder). stage.KIND.NAME of a block with instances is an object
// of them by key (for_each) or a list (count); stage.KIND.NAME[*].OUTPUT
// collects one output of every instance. A data block type alone
// (scenario) is an object of all its blocks. dynamic blocks
// (hcl/ext/dynblock) are expanded in stage and data block bodies. A kind
// with StageInputs takes whole stages (cost = stage.cost.NAME), expanded
// into the attributes they fill before validation and keys.
// docs/language.md is the reference.
//
// Variable values come, lowest precedence first, from the default, from
// TR119_VAR_NAME environment variables, then from -var-file=FILE and
// -var NAME=VALUE in command-line order (later wins), as in Terraform. Text
// from -var and the environment is taken literally for untyped and
// primitive variables and parsed as an HCL expression otherwise. A -var
// naming no variable is an error; an unknown name in a -var-file is a
// warning. Keep -var-files out of the workspace or give them another
// extension than .hcl: every .hcl file there is configuration.
//
// References are the DAG's edges; they are collected before evaluation
// and each must name something declared. A stage output evaluates to an
// ArtifactType object, unknown until the upstream stage has run. The
// functions are the cty standard library under Terraform's names (min,
// max, format, lookup, merge, range, jsondecode, try, can, ...) plus
// file(path) and filesha256(path), relative to the workspace: every file
// they read while evaluating a stage (also through the locals and data
// blocks it uses) is returned by Pipeline.Eval with its SHA-256, for the
// stage's key. Clock and random functions are absent on purpose.
//
// Mistakes are hcl.Diagnostics with a source range and a one-line fix
// hint; WriteDiagnostics renders them. Cycles are named from their
// lexically smallest address, e.g. "cycle: stage.cost.a -> stage.stats.b
// -> stage.cost.a". Graph draws the stage DAG as DOT or Mermaid.
package engine
