locals {
  s = "text"
}

scenario "short" {
  prompts = ["p"]
}

stage "import" "x" {
  path = "x.csv"
}

stage "cost" "a" {
  price = stage.import.x.table
  label = uppper(local.s)
  tags  = [scenario.short.prompt]
}

stage "stats" "b" {
  alpha = local.s * 2
  input = stage.import.x.schema
}
