# The TR119 experiment on a GPU machine: pipeline.hcl plus ONNX Runtime's
# CUDA provider on cuda:0 (optional: without a GPU or the CUDA provider
# libraries that stage finishes *unavailable* with ONNX Runtime's own message,
# never a CPU run). GPT-2 124M (synthetic `gpt2` preset), the report's five
# scenarios, prefill / generate (uncached) / decode (KV cache), 7
# repetitions after 2 warmups. Analysis, figure and report stages are
# added below as they land.
#
# The prompt sets have two prompts each, of clearly different lengths; with
# pad_margin = 2 they pad to the report's 11 / 19 / 27 tokens.

locals {
  prompts = {
    short = [
      "Explain what a KV cache is.",
      "Name three uses of a GPU.",
    ]
    medium = [
      "Describe how a transformer turns a prompt into the next token, step by step.",
      "Summarize the benefits of batching requests in an inference server.",
    ]
    long = [
      "Compare the cost per token of a small language model on a laptop CPU with the same model on a rented data center GPU.",
      "Explain why energy per token needs long timing windows when a power counter updates every hundred milliseconds.",
    ]
  }
}

scenario "single_short" {
  prompts    = local.prompts.short
  batch_size = 1
}

scenario "single_medium" {
  prompts    = local.prompts.medium
  batch_size = 1
}

scenario "single_long" {
  prompts    = local.prompts.long
  batch_size = 1
}

scenario "batch_short" {
  prompts    = local.prompts.short
  batch_size = 4
}

scenario "batch_medium" {
  prompts    = local.prompts.medium
  batch_size = 4
}

stage "model" "gpt2" {
  source = "synthetic"
  preset = "gpt2"
  seed   = 42
}

stage "benchmark" "onnxruntime_cpu" {
  backend = "onnxruntime"
  device  = "cpu"
  label   = "onnxruntime-cpu"
  model   = stage.model.gpt2.dir
  scenarios = [
    scenario.single_short,
    scenario.single_medium,
    scenario.single_long,
    scenario.batch_short,
    scenario.batch_medium,
  ]
  modes          = ["prefill", "generate", "decode"]
  repetitions    = 7
  warmups        = 2
  max_new_tokens = 8
  max_seq_len    = 512
  seed           = 42
}

# ONNX Runtime's CUDA provider. The core library must be one that can load
# libonnxruntime_providers_cuda.so beside it (see shared/gpu/GPU.md): point
# tr119 at it with -onnxruntime-lib or TR119_ONNXRUNTIME_LIB, and put the
# CUDA 13 and cuDNN libraries on LD_LIBRARY_PATH. One library per process
# serves both benchmark stages.
stage "benchmark" "onnxruntime_gpu" {
  backend  = "onnxruntime"
  device   = "cuda:0"
  label    = "onnxruntime-gpu"
  optional = true
  model    = stage.model.gpt2.dir
  scenarios = [
    scenario.single_short,
    scenario.single_medium,
    scenario.single_long,
    scenario.batch_short,
    scenario.batch_medium,
  ]
  modes              = ["prefill", "generate", "decode"]
  repetitions        = 7
  warmups            = 2
  max_new_tokens     = 8
  max_seq_len        = 512
  seed               = 42
  execution_provider = "cuda"
  provider_options = {
    cudnn_conv_algo_search = "DEFAULT"
  }
}
