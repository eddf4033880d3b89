variable "price" {
  type        = number
  default     = 1.006
  description = "On-demand price in USD per hour."
  validation {
    condition     = var.price > 0
    error_message = "The price must be positive."
  }
}

variable "tags" {
  type    = list(string)
  default = ["a"]
}

variable "label" {
  default = "base"
}

locals {
  prompts = split("\n", chomp(file("prompts.txt")))
  doubled = local.price2 * 2
}

locals {
  price2 = var.price
}

settings {
  onnxruntime_library = "lib/libonnxruntime.so"
}

scenario "short" {
  prompts    = local.prompts
  batch_size = 1
}

stage "import" "runs" {
  path = "runs.csv"
}

stage "cost" "main" {
  runs  = [stage.import.runs.table]
  price = local.doubled
  label = upper(var.label)
  tags  = concat(var.tags, [scenario.short.name])
  energy {
    usd_per_kwh = 0.2
  }
}

stage "stats" "summary" {
  input      = stage.cost.main.summary
  depends_on = [stage.import.runs]
}

stage "stats" "alone" {
  alpha = length(scenario.short.prompts)
}
