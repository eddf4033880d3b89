variable "zero" {
  type    = number
  default = 1/0
}

variable "prices" {
  type    = map(number)
  default = { cpu = 1, gpu = -1e308 * 10 }
}

locals {
  huge = 1e308 * 10
}

stage "cost" "a" {
  price = local.huge
}

stage "cost" "b" {
  price = 1
  energy {
    usd_per_kwh = 2 / 0
  }
}
