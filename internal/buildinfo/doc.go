// Package buildinfo owns tr119's version string: the release version plus,
// for a binary built from a git checkout, the commit it was built from.
// Manifests, the CLI and the benchmark's environment table all record it.
package buildinfo
