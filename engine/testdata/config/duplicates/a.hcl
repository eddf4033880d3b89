variable "x" {
}

locals {
  y = 1
}

scenario "s" {
  prompts = []
}

stage "import" "a" {
  path = "a.csv"
}
