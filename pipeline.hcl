# The TR119 experiment on this machine: GPT-2 124M (synthetic weights of
# the `gpt2` preset), ONNX Runtime 1.29.0 on the CPU with standard and with
# fused-kernel graphs, the report's five scenarios, prefill / generate
# (uncached) / decode (KV cache), 7 repetitions after 2 warmups, then cost,
# statistics, validation, figures and the report.
#
# The prompt sets have two prompts each, of clearly different lengths; with
# the default margin of 2 they pad to the report's 11 / 19 / 27 tokens.
#
# Re-price without re-measuring: tr119 apply -var usd_per_kwh=0.35

variable "preset" {
  type        = string
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

variable "on_demand_usd_per_hour" {
  type        = map(number)
  default     = { gpu = 1.006, cpu = 0.17 }
  description = "On-demand price per device class: the report's GPU rate, and a CPU instance's rate for CPU backends (report 12.3)."
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

locals {
  scenarios = [
    scenario.single_short,
    scenario.single_medium,
    scenario.single_long,
    scenario.batch_short,
    scenario.batch_medium,
  ]
  benchmark = {
    modes          = ["prefill", "generate", "decode"]
    repetitions    = var.repetitions
    warmups        = 2
    max_new_tokens = 8
    max_seq_len    = 512
    seed           = 42
  }
}

# Two ways to run the same GPT-2 weights on ONNX Runtime's CPU provider:
# the standard ONNX graphs, and graphs that use ONNX Runtime's fused
# kernels (com.microsoft MultiHeadAttention, FastGelu,
# SkipLayerNormalization). Same seed, same weights, same tokens.
stage "model" "standard" {
  source = "synthetic"
  preset = var.preset
  seed   = 42
}

stage "model" "fused" {
  source = "synthetic"
  preset = var.preset
  seed   = 42
  fused  = true
}

stage "benchmark" "onnxruntime_cpu" {
  backend        = "onnxruntime"
  device         = "cpu"
  label          = "onnxruntime-cpu"
  model          = stage.model.standard.dir
  scenarios      = local.scenarios
  modes          = local.benchmark.modes
  repetitions    = local.benchmark.repetitions
  warmups        = local.benchmark.warmups
  max_new_tokens = local.benchmark.max_new_tokens
  max_seq_len    = local.benchmark.max_seq_len
  seed           = local.benchmark.seed
}

stage "benchmark" "onnxruntime_cpu_fused" {
  backend        = "onnxruntime"
  device         = "cpu"
  label          = "onnxruntime-cpu-fused"
  model          = stage.model.fused.dir
  scenarios      = local.scenarios
  modes          = local.benchmark.modes
  repetitions    = local.benchmark.repetitions
  warmups        = local.benchmark.warmups
  max_new_tokens = local.benchmark.max_new_tokens
  max_seq_len    = local.benchmark.max_seq_len
  seed           = local.benchmark.seed
}

locals {
  runs = [
    stage.benchmark.onnxruntime_cpu.runs,
    stage.benchmark.onnxruntime_cpu_fused.runs,
  ]
  environments = [
    stage.benchmark.onnxruntime_cpu.environment,
    stage.benchmark.onnxruntime_cpu_fused.environment,
  ]
}

# Analysis, figures and the report (docs/analysis.md, docs/report.md).
# Prices as the TR119 report's 4.3, with a CPU instance's rate for CPU
# backends, plus a local tier: owned hardware amortised over its life.
stage "cost" "tr119" {
  runs = local.runs
  pricing {
    on_demand   = var.on_demand_usd_per_hour
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
  request {
    prompt_tokens   = 256
    generate_tokens = 128
    generation_mode = "decode"
  }
}

stage "stats" "tr119" {
  reps  = stage.cost.tr119.reps
  costs = stage.cost.tr119.cell_tiers
}

stage "validate" "tr119" {
  runs             = local.runs
  cost_cells       = stage.cost.tr119.cells
  cost_tiers       = stage.cost.tr119.cell_tiers
  cost_json        = stage.cost.tr119.json # its energy factors and policy are the ones checked
}

stage "plot" "tr119" {
  cells       = stage.cost.tr119.cells
  cell_tiers  = stage.cost.tr119.cell_tiers
  summary     = stage.cost.tr119.summary
  stats_cells = stage.stats.tr119.cells
}

stage "report" "tr119" {
  title               = "TR119 on this machine: cost, energy and carbon per token"
  cells               = stage.cost.tr119.cells
  cell_tiers          = stage.cost.tr119.cell_tiers
  summary             = stage.cost.tr119.summary
  winners             = stage.cost.tr119.winners
  requests            = stage.cost.tr119.requests
  tco                 = stage.cost.tr119.tco
  savings             = stage.cost.tr119.savings
  cost_json           = stage.cost.tr119.json
  stats_groups        = stage.stats.tr119.groups
  stats_tests         = stage.stats.tr119.tests
  stats_pairwise      = stage.stats.tr119.pairwise
  stats_cell_pairwise = stage.stats.tr119.cell_pairwise
  validation          = [stage.validate.tr119.table]
  validation_json     = [stage.validate.tr119.json]
  runs                = local.runs
  environments        = local.environments
  figures             = stage.plot.tr119.figures
}
