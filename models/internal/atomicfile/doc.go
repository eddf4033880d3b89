// Package atomicfile writes files atomically: a temporary file in the same
// folder, fsync, then rename, so a reader never sees a half-written file.
package atomicfile
