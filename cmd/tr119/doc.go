// Command tr119 runs a declarative HCL pipeline of content-addressed
// stages: validate, plan, apply, verify, graph, show, gc, kinds, version.
//
// The command layer only parses arguments, calls the engine and renders
// its answers as human text or, with -json, as JSON lines. Each command
// is a thin function over a workspace; views are kept apart from them.
package main
