variable "price" {
  type = number
  validation {
    condition     = var.price > 0
    error_message = "The price must be positive."
  }
  validation {
    condition     = var.price < 1000
    error_message = "The price must be below 1000."
  }
}

variable "mode" {
  type    = string
  default = "fast"
  validation {
    condition     = contains(["fast", "slow"], var.mode)
    error_message = "The mode must be fast or slow."
  }
}
