variable "n" {
  type    = number
  default = 3
}

stage "import" "x" {
  path = format("data-%d.csv", var.n)
}
