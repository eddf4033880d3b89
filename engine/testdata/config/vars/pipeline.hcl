variable "price" {
  type    = number
  default = 1
}

variable "name" {
  default = "d"
}

variable "sizes" {
  type    = list(number)
  default = [1]
}

variable "opts" {
  type = object({
    a = number
    b = optional(string, "dflt")
  })
  default = { a = 1 }
}
