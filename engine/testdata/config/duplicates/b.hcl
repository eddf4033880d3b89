variable "x" {
  default = 1
}

locals {
  y = 2
}

scenario "s" {
  prompts = []
}

stage "import" "a" {
  path = "b.csv"
}

settings {
  a = "1"
}

settings {
  a = "2"
}
