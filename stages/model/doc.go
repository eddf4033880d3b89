// Package model is the `model` stage kind: it writes a GPT-2 family model
// folder (docs/model-folder.md) from seeded synthetic weights at a preset,
// or from a local Hugging Face checkpoint, as one output per model format
// (`hf`: config.json + model.safetensors; `onnx`: the graphs with their
// weights), so a benchmark's key covers only the files its backend reads.
//
//	stage "model" "gpt2" {
//	  source = "synthetic"   # or "huggingface", with dir = "path/to/checkpoint"
//	  preset = "gpt2"        # tiny | gpt2 | gpt2-medium | gpt2-large | gpt2-xl
//	  seed   = 42
//	  fused  = false         # true: ONNX Runtime's com.microsoft fused operators
//	}
package model
