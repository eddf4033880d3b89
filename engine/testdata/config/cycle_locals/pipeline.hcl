locals {
  b = local.a + 1
  a = local.c
  c = local.b
  self = local.self
}
