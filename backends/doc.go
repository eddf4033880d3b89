// Package backends defines what an inference backend is to the benchmark
// stage: the interfaces it implements (Backend, Model, Runner; optionally
// Looper for backends that time and loop calls in their own process,
// Process and UsageReporter for backends whose calls run in another
// process), the sentinel errors (ErrInvariant, ErrUnsupportedMode), the
// helpers they share (greedy argmax, finite checks), and the Registry of
// backend plug-ins: each Registration owns a nested block of the benchmark
// stage with its own schema, its runtime identity and its environment
// entries. Implementations live in subpackages (onnxruntime; torch) and
// are registered by the program, never by init(). Backends know nothing
// of the engine.
package backends
