# Provider-defined functions need Terraform 1.8 or OpenTofu 1.7 or later.

# { name = "ivr main", type = "ivr" }
output "dial_plan" {
  value = provider::mor::parse_dial_plan("ivr main (ivr)")
}

# Active DIDs answered by an IVR.
data "mor_dids" "active" {
  status = "active"
}

output "ivr_dids" {
  value = [
    for d in data.mor_dids.active.dids : d.did
    if d.dial_plan != null ? provider::mor::parse_dial_plan(d.dial_plan).type == "ivr" : false
  ]
}
