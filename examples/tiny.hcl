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

# Analysis, figures and the report (the plot and report stages are
# documented in docs/report.md). Prices as the TR119 report's 4.3, with a
# CPU instance's rate for CPU backends.
stage "cost" "tr119" {
  runs = [stage.benchmark.onnxruntime_cpu.runs]
  pricing {
    on_demand = {
      gpu = 1.006
      cpu = 0.17
    }
    spot        = { gpu = 0.302, cpu = 0.05 }
    reserved_1y = { gpu = 0.704, cpu = 0.12 }
    reserved_3y = { gpu = 0.503, cpu = 0.09 }
  }
  energy {
    usd_per_kwh      = 0.20
    carbon_g_per_kwh = 500
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
  runs       = [stage.benchmark.onnxruntime_cpu.runs]
  cost_cells = stage.cost.tr119.cells
  cost_tiers = stage.cost.tr119.cell_tiers
  usd_per_kwh      = 0.20
  carbon_g_per_kwh = 500
}

stage "plot" "tr119" {
  cells       = stage.cost.tr119.cells
  cell_tiers  = stage.cost.tr119.cell_tiers
  summary     = stage.cost.tr119.summary
  stats_cells = stage.stats.tr119.cells
}

stage "report" "tr119" {
  title           = "TR119 on this machine: cost, energy and carbon per token"
  cells           = stage.cost.tr119.cells
  cell_tiers      = stage.cost.tr119.cell_tiers
  summary         = stage.cost.tr119.summary
  winners         = stage.cost.tr119.winners
  requests        = stage.cost.tr119.requests
  tco             = stage.cost.tr119.tco
  savings         = stage.cost.tr119.savings
  cost_json       = stage.cost.tr119.json
  stats_groups    = stage.stats.tr119.groups
  stats_tests     = stage.stats.tr119.tests
  stats_pairwise  = stage.stats.tr119.pairwise
  validation      = [stage.validate.tr119.table]
  validation_json = [stage.validate.tr119.json]
  runs            = [stage.benchmark.onnxruntime_cpu.runs]
  environments    = [stage.benchmark.onnxruntime_cpu.environment]
  figures         = stage.plot.tr119.figures
}
