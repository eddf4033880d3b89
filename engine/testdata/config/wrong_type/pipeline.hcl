variable "n" {
  type    = number
  default = "many"
}

stage "cost" "a" {
  price = "abc"
  tags  = "one"
  runs  = ["not an artifact"]
}
