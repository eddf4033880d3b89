// Package ortcheck holds only tests: it runs the gpt2 package's ONNX
// graphs with ONNX Runtime (through onnxruntime_go, whose global state
// wants one initialisation per process, hence one package) and checks them
// against an independent float64 forward pass written in Go.
package ortcheck
