# Which device does each active DID route to?
data "mor_dids" "active" {
  status = "active"
}

output "did_routing" {
  value = {
    for d in data.mor_dids.active.dids : d.did => coalesce(d.device, d.dial_plan, "(not routed)")
  }
}

# Free numbers in a range (SQL LIKE: % is any run of characters).
data "mor_dids" "free_vilnius" {
  did_number = "3705%"
  status     = "free"
}

# Every free DID, those assigned to resellers included: the provider
# applies the status filter itself.
data "mor_dids" "free" {
  status = "free"
}

locals {
  reseller_free_dids = [for d in data.mor_dids.free.dids : d.did if d.reseller != null]
}
