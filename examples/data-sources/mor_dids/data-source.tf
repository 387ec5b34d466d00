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

# For an admin, MOR's free and active searches leave out DIDs assigned to a
# reseller. To include them, search without status and filter in HCL.
data "mor_dids" "all" {}

locals {
  free_dids          = [for d in data.mor_dids.all.dids : d.did if d.status == "Free"]
  reseller_free_dids = [for d in data.mor_dids.all.dids : d.did if d.status == "Free" && d.reseller != null]
}
