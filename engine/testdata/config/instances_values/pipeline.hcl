stage "import" "list" {
  for_each = ["a.csv", "b.csv"]
  path     = each.key
}

stage "import" "late" {
  for_each = { (stage.import.one.table.path) = 1 }
  path     = "x.csv"
}

stage "import" "one" {
  path = "one.csv"
}

stage "import" "neg" {
  count = 1.5
  path  = "c${count.index}.csv"
}

stage "import" "empty" {
  for_each = { "" = 1 }
  path     = "e.csv"
}

stage "import" "typed" {
  for_each = toset([1, 2])
  path     = "${each.value}.csv"
}

stage "cost" "c" {
  for_each = { a = 1, b = "two" }
  price    = each.value
}
