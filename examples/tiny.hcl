# The default pipeline on the `tiny` preset (2 layers, 64 wide): the same
# scenarios and modes as pipeline.hcl, small enough to apply in seconds;
# tests use it. ONNX Runtime 1.29.0 on the CPU, 7 repetitions after 2
# warmups.
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

stage "model" "tiny" {
  source = "synthetic"
  preset = "tiny"
  seed   = 42
}

stage "benchmark" "onnxruntime_cpu" {
  backend = "onnxruntime"
  device  = "cpu"
  label   = "onnxruntime-cpu"
  model   = stage.model.tiny.dir
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
