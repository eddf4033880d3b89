// Package safetensors reads and writes the safetensors format: an 8-byte
// little-endian header length, a JSON header naming each tensor's dtype,
// shape and byte range, then the raw little-endian data.
//
// The Writer streams: it takes every tensor's name and shape up front,
// writes the header, then accepts tensors one at a time, so a model never
// has to be held in memory twice. The Reader converts F32, F16 and BF16
// tensors to float32.
package safetensors
