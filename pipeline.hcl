# The TR119 experiment on this machine: GPT-2 124M (synthetic weights of
# the `gpt2` preset), ONNX Runtime 1.29.0 with standard and with
# fused-kernel graphs, the report's five scenarios, prefill / generate
# (uncached) / decode (KV cache), 7 repetitions after 2 warmups, then cost,
# statistics, validation, figures and the report. The language:
# docs/language.md.
#
#   tr119 apply                                   # the experiment on this CPU
#   tr119 apply -var preset=tiny -out results-tiny  # the same on a tiny model, in seconds
#   tr119 apply -var-file=examples/gpu.tfvars     # also on ONNX Runtime's CUDA provider
#   tr119 apply -var usd_per_kwh=0.35             # re-price without re-measuring
#
# The prompt sets have two prompts each, of clearly different lengths; with
# the default margin of 2 they pad to the report's 11 / 19 / 27 tokens.

variable "preset" {
  default     = "gpt2"
  description = "GPT-2 family preset of the synthetic model: tiny, gpt2, gpt2-medium, gpt2-large, gpt2-xl."
}

variable "repetitions" {
  type        = number
  default     = 7
  description = "Timed repetitions per cell (the report's n = 7)."
  validation {
    condition     = var.repetitions >= 2
    error_message = "At least 2 repetitions are needed for a confidence interval."
  }
}

variable "devices" {
  type        = map(object({ device = string, provider = optional(string, "") }))
  default     = { cpu = { device = "cpu" } }
  description = "Where ONNX Runtime runs, by name: a device (cpu, cuda:0) and an execution provider. A GPU is optional: without one its stages finish unavailable."
}

variable "torch" {
  type        = map(object({ device = string, implementation = optional(string, "transformers"), compile = optional(bool, false), torch_version = optional(string, "2.11.0") }))
  default     = {}
  description = "PyTorch rows by name, run by a Python worker (label transformers-NAME): a device, the implementation (transformers, or tr119-gpt2 in plain torch), torch.compile and the declared torch version. None by default; examples/gpu.tfvars adds the report's three."
}

variable "energy_window" {
  type        = string
  default     = "2s"
  description = "Shortest energy window: each repetition loops its call until this long when an energy counter exists."
}

variable "usd_per_kwh" {
  type        = number
  default     = 0.20
  description = "Electricity price."
}

variable "carbon_g_per_kwh" {
  type        = number
  default     = 500
  description = "Grid carbon intensity, gCO2e per kWh."
}

locals {
  prompts = {
    short = ["Explain what a KV cache is.", "Name three uses of a GPU."]
    medium = ["Describe how a transformer turns a prompt into the next token, step by step.",
    "Summarize the benefits of batching requests in an inference server."]
    long = ["Compare the cost per token of a small language model on a laptop CPU with the same model on a rented data center GPU.",
    "Explain why energy per token needs long timing windows when a power counter updates every hundred milliseconds."]
  }
  # The report's five scenarios in its order: one request or a batch of
  # four, short / medium / long prompts, no batch of long ones.
  scenarios = [for p in setproduct(["single", "batch"], ["short", "medium", "long"]) : {
    name = join("_", p), prompts = local.prompts[p[1]], batch_size = p[0] == "single" ? 1 : 4, pad_margin = 2
  } if p[0] == "single" || p[1] != "long"]
}

# Two ways to run the same GPT-2 weights: the standard ONNX graphs, and
# graphs with ONNX Runtime's fused kernels (com.microsoft
# MultiHeadAttention, FastGelu, SkipLayerNormalization). Same seed, same
# weights, same tokens.
stage "model" "gpt2" {
  for_each = { standard = false, fused = true }
  preset   = var.preset
  seed     = 42
  fused    = each.value
}

# One benchmark per device and graph: stage.benchmark.onnxruntime["cpu"],
# ["cpu-fused"], and ["gpu"], ["gpu-fused"] with examples/gpu.tfvars. The
# kind's defaults are the report's: modes prefill, generate and decode, 2
# warmups, 8 new tokens, 512 positions, seed 42 (docs/benchmark.md).
stage "benchmark" "onnxruntime" {
  for_each = merge([for name, d in var.devices : {
    (name) = merge(d, { graph = "standard" }), "${name}-fused" = merge(d, { graph = "fused" })
  }]...)
  backend           = "onnxruntime"
  device            = each.value.device
  optional          = each.value.device != "cpu"
  label             = "onnxruntime-${each.key}"
  model             = stage.model.gpt2[each.value.graph].onnx
  scenarios         = local.scenarios
  repetitions       = var.repetitions
  min_energy_window = var.energy_window
  onnxruntime { provider = each.value.provider }
}

# The report's PyTorch rows: Hugging Face transformers (or tr119-gpt2) on
# the same weights, in a Python worker tr119 starts (docs/torch-worker.md).
stage "benchmark" "torch" {
  for_each          = var.torch
  backend           = "torch"
  device            = each.value.device
  optional          = each.value.device != "cpu"
  label             = "${each.value.implementation == "transformers" ? "transformers" : each.value.implementation}-${each.key}"
  model             = stage.model.gpt2["standard"].hf
  scenarios         = local.scenarios
  repetitions       = var.repetitions
  min_energy_window = var.energy_window
  torch {
    implementation = each.value.implementation
    compile        = each.value.compile
    torch_version  = each.value.torch_version
  }
}

# Analysis, figures and the report (docs/analysis.md, docs/report.md).
# Prices as the TR119 report's 4.3 (on demand: its GPU rate, and a CPU
# instance's rate for CPU backends, its 12.3), plus a local tier: owned
# hardware amortised over its life.
stage "cost" "tr119" {
  runs = concat(stage.benchmark.onnxruntime[*].runs, stage.benchmark.torch[*].runs)
  pricing {
    on_demand   = { gpu = 1.006, cpu = 0.17 }
    spot        = { gpu = 0.302, cpu = 0.05 }
    reserved_1y = { gpu = 0.704, cpu = 0.12 }
    reserved_3y = { gpu = 0.503, cpu = 0.09 }
  }
  local {
    hardware_usd             = { gpu = 2500, cpu = 1200 }
    lifetime_years           = 3
    utilisation              = 0.5
    maintenance_usd_per_year = 100
  }
  energy {
    usd_per_kwh      = var.usd_per_kwh
    carbon_g_per_kwh = var.carbon_g_per_kwh
  }
  request { generation_mode = "decode" } # 256 prompt and 128 generated tokens (the defaults), KV-cached
}

stage "stats" "tr119" { cost = stage.cost.tr119 }

stage "validate" "tr119" {
  benchmarks = concat(values(stage.benchmark.onnxruntime), values(stage.benchmark.torch))
  cost       = stage.cost.tr119
}

stage "plot" "tr119" {
  cost  = stage.cost.tr119
  stats = stage.stats.tr119
}

stage "report" "tr119" {
  title      = "TR119 on this machine: cost, energy and carbon per token"
  benchmarks = concat(values(stage.benchmark.onnxruntime), values(stage.benchmark.torch))
  cost       = stage.cost.tr119
  stats      = stage.stats.tr119
  validate   = stage.validate.tr119
  plot       = stage.plot.tr119
}
