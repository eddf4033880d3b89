# Analysis example: import a runs table measured elsewhere (here the seeded
# synthetic 350-run matrix of runs.csv: 5 backends x 5 scenarios x 2 modes
# x 7 repetitions, 2 prompts each), price it, test it and validate it.
#
#   tr119 apply                                   # import, cost, stats, validate
#   tr119 apply -var on_demand_usd_per_hour=0.9   # only cost and what reads it re-run
#
# Bigger inputs: go run ./examples/analysis/gen -rows 1000000 -o runs.csv
# Outputs and every column: docs/analysis.md.

variable "on_demand_usd_per_hour" {
  type    = number
  default = 1.006
}

stage "import" "runs" {
  path   = "runs.csv"
  schema = "runs/v2"
}

stage "cost" "tr119" {
  runs = [stage.import.runs.table]

  # The report's section 4.3 prices; a CPU-only deployment is priced at a
  # CPU instance's rate, not a GPU's (the report's 12.3).
  pricing {
    on_demand = {
      gpu = var.on_demand_usd_per_hour
      cpu = 0.17
    }
    spot        = { gpu = 0.302, cpu = 0.05 }
    reserved_1y = { gpu = 0.704, cpu = 0.12 }
    reserved_3y = { gpu = 0.503, cpu = 0.09 }

    tier "my_cloud" {
      usd_per_hour = 0.85
    }
  }

  # Owned hardware: price amortised over its lifetime at a utilisation.
  local {
    hardware_usd             = { gpu = 2500, cpu = 1200 }
    lifetime_years           = 3
    utilisation              = 0.5
    maintenance_usd_per_year = 100
  }

  energy {
    usd_per_kwh      = 0.20
    carbon_g_per_kwh = 500
  }

  request {
    prompt_tokens   = 256
    generate_tokens = 128
    generation_mode = "generate"
  }

  tco {
    tokens_per_month = 1000000000
    months           = 12
  }

  # "time" aggregates on seconds per 1M tokens (the report's 5.1 rule);
  # "arithmetic" averages throughput (the rule of its request tables).
  aggregate     = "time"
  energy_policy = "dominant" # or "sum": every measured domain
  energy_basis  = "total"    # or "active": idle baseline removed

  # Weigh scenarios by your traffic instead of equally (the report's 7.3):
  # weights = { single_short = 5, single_medium = 3, single_long = 1, batch_short = 1, batch_medium = 0 }
}

# Statistics read the cost stage's repetition samples and cell costs, not
# the runs: a price change re-runs them without re-reading a million rows.
stage "stats" "tr119" {
  cost = stage.cost.tr119 # its reps and cell_tiers
  tier = "on_demand"
}

# Two validations so that each re-runs only when its inputs change: the
# runs checks when the runs do, the cost checks when the prices do.
stage "validate" "runs" {
  runs   = [stage.import.runs.table]
  strict = true
}

stage "validate" "costs" {
  cost   = stage.cost.tr119 # cells, cell_tiers, and json: its energy factors and policy are the ones checked
  strict = true
}

# Figures (appendix B) and the report (docs/report.md): re-pricing re-runs
# them from the new cost tables, never the import.
stage "plot" "tr119" {
  cost  = stage.cost.tr119
  stats = stage.stats.tr119
}

stage "report" "tr119" {
  title    = "TR119 analysis example: cost, energy and carbon per token"
  cost     = stage.cost.tr119
  stats    = stage.stats.tr119
  validate = [stage.validate.runs, stage.validate.costs]
  plot     = stage.plot.tr119
  runs     = [stage.import.runs.table]
}
