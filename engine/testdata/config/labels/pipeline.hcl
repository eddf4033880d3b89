stage "cost" {
  price = 1
}

variable {
}

locals "x" {
}

stage "cost" "bad name" {
}
