// Package torch is the PyTorch backend: a Python worker (worker.py,
// embedded and run with `python -c`) that tr119 starts and drives over a
// small versioned protocol of JSON lines on stdin/stdout
// (docs/torch-worker.md). The worker loads the model folder's config.json
// and model.safetensors with Hugging Face transformers (GPT2LMHeadModel,
// optionally torch.compile'd) or with tr119-gpt2, a small GPT-2 in plain
// torch that runs with Debian's torch 1.13 and is what CI tests. It runs
// the three modes with the ONNX Runtime backend's token accounting and
// times every call inside the worker, around device-synchronised work.
//
// This package owns the worker's process: its own process group, killed
// with its children when a call's context ends, SIGKILLed by the kernel
// when tr119 dies (Pdeathsig), and restarted once a call finds it dead.
package torch
