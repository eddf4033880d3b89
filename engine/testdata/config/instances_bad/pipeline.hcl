stage "import" "both" {
  for_each = toset(["a"])
  count    = 2
  path     = "x.csv"
}

stage "import" "one" {
  path = each.value
}

stage "import" "neg" {
  count = 2
  path  = "c${count.idx}.csv"
}

stage "cost" "c" {
  count = 2
  price = 1
  runs  = [stage.import.neg.table]
}

stage "import" "self" {
  for_each = toset([each.key])
  path     = "s.csv"
}
