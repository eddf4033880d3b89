stage "cots" "a" {
  price = 1
}

stage "zzzzzz" "b" {
}
