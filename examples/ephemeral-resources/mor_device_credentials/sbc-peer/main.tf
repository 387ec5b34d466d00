# A stand-in for an SBC module: it takes a SIP peer's credentials as
# ephemeral variables and hands the peer's URI and password on as ephemeral
# outputs, which a provider block or a write-only attribute can take.
# Nothing is stored.

variable "sip_host" {
  type      = string
  ephemeral = true
}

variable "sip_port" {
  type      = number
  ephemeral = true
}

variable "transport" {
  type      = string
  ephemeral = true
}

variable "sip_username" {
  type      = string
  ephemeral = true
}

variable "sip_password" {
  type      = string
  ephemeral = true
  sensitive = true
}

output "sip_uri" {
  ephemeral = true
  value     = "sip:${var.sip_username}@${var.sip_host}:${var.sip_port};transport=${var.transport}"
}

output "sip_password" {
  ephemeral = true
  value     = var.sip_password
  precondition {
    condition     = var.sip_password != null && var.sip_password != ""
    error_message = "The device has no SIP password to hand on."
  }
}
