# The TR119 experiment on a GPU machine: the default pipeline plus ONNX
# Runtime's CUDA provider on cuda:0, with the standard and the fused-kernel
# graphs. The CUDA stages are optional: without a GPU or the CUDA provider
# libraries they finish *unavailable* with ONNX Runtime's own message
# (never a CPU run, never cached), and the analysis and report cover what
# did run; on a GPU machine the next apply runs them.
#
#   tr119 apply -var-file=examples/gpu.tfvars -out results-gpu
#
# The core library must be one that can load libonnxruntime_providers_cuda.so
# beside it: point tr119 at it with -setting onnxruntime_library=PATH (alias -onnxruntime-lib) or TR119_ONNXRUNTIME_LIB,
# and put the CUDA 13 and cuDNN libraries on LD_LIBRARY_PATH. One library
# per process serves every benchmark stage.
devices = {
  cpu = { device = "cpu" }
  gpu = { device = "cuda:0", provider = "cuda" }
}
