# Which device or dial plan does each active DID route to?
data "mor_dids" "active" {
  status = "active"
}

output "did_routing" {
  value = {
    for d in data.mor_dids.active.dids : d.did => coalesce(d.device, d.dial_plan, "(not routed)")
  }
}

# Free numbers in a range (SQL LIKE: % is any run of characters).
data "mor_dids" "free_in_range" {
  did_number = "3706100%"
  status     = "free"
}

output "free_in_range" {
  value = [for d in data.mor_dids.free_in_range.dids : d.did]
}

# Every free DID, those assigned to resellers included: the provider applies
# the status filter itself, so a reseller's DIDs are not left out.
data "mor_dids" "free" {
  status = "free"
}

output "free_dids_of_resellers" {
  value = [for d in data.mor_dids.free.dids : d.did if d.reseller != null]
}
