// Package backends defines the small interface every inference backend
// implements for the benchmark stage (Backend, Model, Runner) and the
// helpers they share (greedy argmax, invariant errors). Implementations
// live in subpackages: onnxruntime (cgo, CPU and CUDA providers); a torch
// worker backend fits beside it. Backends know nothing of the engine.
package backends
