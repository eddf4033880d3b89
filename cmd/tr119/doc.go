// Command tr119 runs a declarative HCL pipeline of content-addressed
// stages and answers which inference backend costs the least per token.
//
// Usage:
//
//	tr119 [-chdir=DIR] COMMAND [flags] [PIPELINE]
//
// PIPELINE is a .hcl file or the workspace folder holding them (default
// "."). Flags may come before or after it, as in Terraform; after "--"
// everything is an argument. `tr119 COMMAND -h` says what a command does,
// its arguments and two examples. Commands:
//
//	validate  check the pipeline; every mistake as file:line:column with a fix hint
//	plan      each stage's fate (run, rerun with reasons, cached); -explain prints key lines
//	apply     run what is stale, place results in results/, write results/manifest.json
//	verify    re-hash the results (a results folder, a manifest or a workspace) against the manifest; -reproduce re-runs deterministic stages
//	graph     the stage graph as DOT or Mermaid, coloured by plan action
//	show      a Parquet artifact's schema, row count and first rows; -json rows as JSON lines, -columns, -where, -summary
//	gc        remove cache entries that neither the state nor the manifest references
//	kinds     the stage kinds and their documented outputs
//	version   the tool version
//	diff      compare two results: throughput, energy, cost, environment
//
// Shared flags: -var name=value and -var-file=FILE (in command-line order,
// after TR119_VAR_name), -json (JSON lines for scripts), -replace=ADDR and
// -target=ADDR (repeatable), -parallelism=N, -out=DIR, -lock-timeout=D,
// -onnxruntime-lib=PATH and -setting key=value. TR119_CACHE moves the
// cache (default .tr119/cache in the workspace); TR119_LOG=debug shows
// debug logs.
//
// Design notes:
//
//   - The command layer only parses arguments, calls the engine and renders
//     its answers; views (human, JSON) are kept apart from the commands.
//   - Results are hard links into the cache. apply removes only files that
//     the previous manifest listed and that are no longer produced, never
//     anything else in the results folder. With -target the results and
//     manifest describe the targeted stages only.
//   - verify -reproduce replays the manifest's recorded variable values
//     (then any -var given), runs every deterministic stage in a scratch
//     cache and takes measurements from the workspace cache as recorded.
//   - gc keeps what the state and manifest of every workspace that applied
//     with the cache reference (a cache shared through TR119_CACHE records
//     its workspaces), and holds the cache's exclusive lock: applies hold
//     it shared, so gc never collects what a running apply in another
//     workspace stored. gc -verify re-hashes every stored byte.
//   - Damaged cache files are never served nor deleted: they go to the
//     cache's quarantine/ folder, and plan says which stage must run
//     again and why ("must be re-measured: its recorded output ... was
//     damaged ..."). A stage about to run has its cached inputs re-hashed.
//   - plan takes every apply flag that can change a plan (-out, -setting,
//     -onnxruntime-lib). A rerun downstream of a stage that runs is counted
//     "up to": apply finds it cached when its inputs come out unchanged,
//     and says so.
//   - apply -replace X is recorded in .tr119/replace.json until X executes,
//     so an interrupted or failed apply keeps forcing X.
//   - apply refuses -out inside .tr119 or the cache, and a results folder
//     whose manifest.json tr119 did not write.
//   - What the pipeline's file() calls read is hidden from everything the
//     CLI prints (diagnostics, errors, plan reasons, events).
//   - -setting keys are the ones the registry declares (did-you-mean
//     otherwise), as are the settings block's.
//   - The first Ctrl-C cancels cleanly (nothing partial is cached or
//     placed; the next apply resumes); a second one ends the process.
package main
