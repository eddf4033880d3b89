stage "import" "a" {
  path = "a.csv" schema = "x"
}

stage "cost" "b" {
  price = (1 + 
