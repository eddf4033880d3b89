stage "stats" "y" {
  input = stage.import.x.table
  alpha = local.alpha
}

locals {
  alpha = var.n / 100
}
