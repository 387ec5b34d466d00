# The questions operators ask MOR, answered by Terraform. `make demo` runs this
# against the embedded simulator; point MOR_URL, MOR_USERNAME,
# MOR_API_SECRET_KEY and MOR_PASSWORD at a real MOR (and adjust the variables)
# to run it there.

terraform {
  required_version = ">= 1.5"
  required_providers {
    mor = {
      source = "mor-terraform/mor"
    }
  }
}

# Configured from MOR_URL, MOR_USERNAME, MOR_API_SECRET_KEY and MOR_PASSWORD
# (the API user's login password, for mor_users).
provider "mor" {}

variable "customer_user_id" {
  description = "The MOR user whose devices to show; null (the default): the admin's first customer, found with mor_users."
  type        = number
  default     = null
}

# --- Who are the customers? --------------------------------------------------

# The admin's own customers: the users whose devices the admin may list (a
# reseller's customers only their reseller may).
data "mor_users" "customers" {
  owner_id = 0
  usertype = "user"
}

locals {
  customer_user_id = var.customer_user_id != null ? var.customer_user_id : data.mor_users.customers.users[0].id
}

output "customers" {
  description = "The admin's customers: username => id, blocked ones marked."
  value       = { for u in data.mor_users.customers.users : u.username => u.blocked ? "${u.id} (blocked)" : tostring(u.id) }
}

variable "cli_device_id" {
  description = "The device whose caller IDs to show."
  type        = number
  default     = 152
}

# --- Which device and endpoint does each active DID route to? ---------------

data "mor_dids" "active" {
  status = "active"
}

locals {
  # DIDs routed to a device of the admin's own users. DIDs assigned to a
  # reseller route to the reseller's users, whose devices only the reseller
  # may read.
  routed_dids = [
    for d in data.mor_dids.active.dids : d
    if d.device != null && d.reseller == null
  ]
  # "SIP/1105" -> "1105": MOR names a DID's device by technology and name,
  # and the name is the device's username unless the device authenticates
  # by IP address (then it is "ipauth…": see parse_device_ref's docs).
  routed_device_names = toset([for d in local.routed_dids : split("/", d.device)[1]])
}

data "mor_device" "routed" {
  for_each        = local.routed_device_names
  device_username = each.key
}

output "did_routing" {
  description = "Active DIDs and where they ring: DID => device, type, ip:port."
  value = {
    for d in local.routed_dids : d.did => format("%s  %s  %s:%d",
      d.device,
      data.mor_device.routed[split("/", d.device)[1]].device_type,
      data.mor_device.routed[split("/", d.device)[1]].ipaddr,
      data.mor_device.routed[split("/", d.device)[1]].port,
    )
  }
}

# --- Which numbers are free to hand out? -------------------------------------

data "mor_dids" "free" {
  status = "free"
}

output "free_dids" {
  description = "DIDs in status Free."
  value       = [for d in data.mor_dids.free.dids : d.did]
}

# --- One customer's devices, with their codecs -------------------------------

data "mor_devices" "customer" {
  user_id = local.customer_user_id
}

data "mor_device" "customer" {
  for_each  = { for d in data.mor_devices.customer.devices : tostring(d.device_id) => d.device_id }
  device_id = each.value
}

output "customer_devices" {
  description = "The customer's devices: username => type, endpoint and audio codecs."
  value = {
    for id, d in data.mor_device.customer : d.username => {
      type = d.device_type
      host = d.host
      # null when MOR's record holds no codec list
      codecs = d.audio_codecs == null ? null : join(",", d.audio_codecs)
    }
  }
}

# --- Caller IDs of one device ------------------------------------------------

data "mor_device_clis" "device" {
  device_id = var.cli_device_id
}

output "device_clis" {
  description = "Caller IDs of the device, banned ones marked."
  value       = [for c in data.mor_device_clis.device.clis : c.banned ? "${c.cli} (banned)" : c.cli]
}

# --- Audit: reported as warnings, the run does not fail ----------------------

locals {
  audited = {
    for d in concat(values(data.mor_device.routed), values(data.mor_device.customer)) : d.username => d
  }
  open_to_any_address = sort([for name, d in local.audited : name if d.permit == "0.0.0.0/0.0.0.0"])
  without_call_limit  = sort([for name, d in local.audited : name if coalesce(d.call_limit, 0) == 0])
}

check "devices_accept_calls_from_any_address" {
  assert {
    condition     = length(local.open_to_any_address) == 0
    error_message = "${length(local.open_to_any_address)} device(s) accept calls from any address (permit 0.0.0.0/0.0.0.0): ${join(", ", local.open_to_any_address)}"
  }
}

check "devices_without_call_limit" {
  assert {
    condition     = length(local.without_call_limit) == 0
    error_message = "${length(local.without_call_limit)} device(s) have no call limit (call_limit 0): ${join(", ", local.without_call_limit)}"
  }
}

output "audit" {
  description = "Devices the checks above flag."
  value = {
    open_to_any_address = local.open_to_any_address
    without_call_limit  = local.without_call_limit
  }
}
