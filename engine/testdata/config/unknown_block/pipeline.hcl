stag "cost" "a" {
  price = 1
}

scenaro "s" {
}

price = 3
