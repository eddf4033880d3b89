variable "price" {
  default = 1
}

locals {
  base = 2
}

scenario "short" {
  prompts = ["p"]
}

stage "cost" "a" {
  price = var.pricee + local.bse + local.nothing_like_it
  tags  = [scenario.shrt.name, foo.bar, scenari.short.name]
  runs  = [stage.cost.b.table, stage.cost.a, stage.import.a.tabel, stage.cost]
}

stage "import" "a" {
  path = "x.csv"
}
