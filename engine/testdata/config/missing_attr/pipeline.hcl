stage "import" "a" {
  schema = "runs/v1"
}

stage "cost" "b" {
  energy {
  }
}
