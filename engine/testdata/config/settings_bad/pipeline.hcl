stage "import" "a" {
  path = "a.csv"
}

settings {
  lib   = stage.import.a.table.path
  list  = ["x"]
  ok    = "fine"
  nested {
  }
}
