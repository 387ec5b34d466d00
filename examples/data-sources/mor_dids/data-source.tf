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

# For an admin, MOR's free and active searches leave out DIDs assigned to a
# reseller. To include them, search without status and filter in HCL (the
# answer spells statuses with a capital: "Free", "Active").
data "mor_dids" "all" {}

output "free_dids" {
  value = {
    all         = [for d in data.mor_dids.all.dids : d.did if d.status == "Free"]
    of_reseller = [for d in data.mor_dids.all.dids : d.did if d.status == "Free" && d.reseller != null]
  }
}
