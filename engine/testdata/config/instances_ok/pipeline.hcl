# A fuzz seed: for_each, count, splat, whole stages, collections, dynamic.
variable "files" {
  default = { a = "a.csv", "b/c" = "bc.csv" }
}

scenario "z" {
  prompts = ["z"]
}

scenario "y" {
  prompts = ["y"]
}

stage "import" "in" {
  for_each = var.files
  path     = each.value
  schema   = each.key
}

stage "stats" "per" {
  for_each = stage.import.in
  input    = each.value.table
  alpha    = length(each.key)
}

stage "import" "n" {
  count = 2
  path  = "n${count.index}.csv"
}

stage "cost" "all" {
  runs  = concat(stage.import.in[*].table, stage.import.n[*].table)
  price = length(stage.stats.per)
  tags  = [for s in values(scenario) : s.name]
  label = join(",", keys(stage.import.in["a"]))
  dynamic "energy" {
    for_each = toset(["one"])
    content {
      usd_per_kwh = length(energy.key)
    }
  }
}
