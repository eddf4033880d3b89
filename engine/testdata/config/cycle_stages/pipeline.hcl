stage "stats" "b" {
  input = stage.cost.a.table
}

stage "cost" "a" {
  price = 1
  runs  = [stage.stats.b.summary]
}

stage "stats" "c" {
  input = local.from_d
}

locals {
  from_d = stage.stats.d.table
}

stage "stats" "d" {
  depends_on = [stage.stats.c]
}
