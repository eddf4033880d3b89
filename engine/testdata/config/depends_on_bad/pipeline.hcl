stage "import" "a" {
  path       = "a.csv"
  depends_on = [var.x, stage.import.b, upper("x")]
}

stage "import" "c" {
  path       = "c.csv"
  depends_on = "stage.import.a"
}
