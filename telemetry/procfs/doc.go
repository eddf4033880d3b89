// Package procfs reads the Linux /proc files the benchmark records per
// run: a process's CPU time, resident set size and peak resident set size,
// and the whole system's CPU busy and total time (for system CPU
// utilisation). The root is configurable so tests read a fake tree.
package procfs
