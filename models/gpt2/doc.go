// Package gpt2 owns the GPT-2 family as files: presets and the Hugging
// Face config, the tensor list with seeded synthetic weights or weights
// read from a local checkpoint, the model folder writer and the ONNX graphs
// built from the weights (full forward, last-position forward, and the
// KV-cache decoder pair). docs/model-folder.md is the folder's contract.
//
// Backends call ReadConfig to learn a folder's shapes; the model stage
// calls WriteFolder.
package gpt2
