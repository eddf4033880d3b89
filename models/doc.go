// Package models groups what tr119 knows about language models as files:
// the GPT-2 family (models/gpt2), the safetensors format
// (models/safetensors) and a small ONNX writer (models/onnx). Nothing here
// runs a model; backends do.
package models
