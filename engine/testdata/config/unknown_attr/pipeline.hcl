stage "cost" "a" {
  pricee = 1
  colour = "red"
  energi {
  }
}

scenario "s" {
  prompts = ["x"]
  batch   = 2
}
