# The TR119 report's experiment on a GPU machine: its five backends —
# ONNX Runtime on the CPU and on CUDA, transformers on the CPU, on the GPU
# and compiled with torch.compile — plus ONNX Runtime's fused-kernel graphs
# on both devices.
#
#   tr119 apply -var-file=examples/gpu.tfvars -out results-gpu \
#     -setting torch_python=python3
#
# At the defaults (7 repetitions, 2 s energy windows) the windows alone take
# about 52 minutes; -var repetitions=2 -var energy_window=1s took 17 minutes
# on an H100 (docs/gpu-run.md).
#
# The GPU stages are optional: without a GPU, the CUDA provider libraries or
# a CUDA build of torch they finish *unavailable* with the runtime's own
# message (never a CPU run, never cached), and the analysis and report cover
# what did run. ONNX Runtime's CUDA provider needs a core library that can
# load libonnxruntime_providers_cuda.so beside it (scripts/gpu/pack.sh
# builds one; scripts/gpu/remote.sh sets LD_LIBRARY_PATH for it); the torch
# rows need torch 2.11 and transformers 5.17 in the worker's Python (or
# declare the versions you have: torch_version, transformers_version).
devices = {
  cpu = { device = "cpu" }
  gpu = { device = "cuda:0", provider = "cuda" }
}
torch = {
  cpu         = { device = "cpu" }
  gpu         = { device = "cuda:0" }
  gpu-compile = { device = "cuda:0", compile = true }
}
