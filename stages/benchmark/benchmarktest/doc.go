// Package benchmarktest evaluates a benchmark stage body the way the
// engine does, for the benchmark package's tests and for backends' stage
// tests: scenario blocks become objects with a name, the model folder an
// artifact value.
package benchmarktest
