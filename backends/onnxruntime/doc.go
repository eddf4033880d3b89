// Package onnxruntime is the ONNX Runtime backend (github.com/yalue/onnxruntime_go
// over ONNX Runtime 1.29.0). It is the only package with cgo for ONNX
// Runtime. onnxruntime_go keeps the loaded library in package globals, so
// this package initialises it once per process and refuses to switch to
// another library path later. Sessions run with preallocated input and
// output tensors that are reused across calls, so the harness allocates
// nothing in a timed region; in KV-cache decode each step's present
// tensors are the next step's past tensors, so the cache is never copied.
package onnxruntime
