variable "price" {
  type        = number
  description = "Required."
}

variable "extra" {
  type    = number
  default = 1
  sensitive = true
}
