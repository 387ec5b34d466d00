# Provider-defined functions need Terraform 1.8 or OpenTofu 1.7 or later.

# { protocol = "SIP", name = "1251" }
output "device" {
  value = provider::mor::parse_device_ref("SIP/1251")
}

# Look up the device each active DID routes to, by its name (the username,
# except for a device that authenticates by IP address). DIDs assigned
# to a reseller route to the reseller's users, whose devices only the
# reseller may read: the admin leaves them out.
data "mor_dids" "active" {
  status = "active"
}

data "mor_device" "routed" {
  for_each = toset([
    for d in data.mor_dids.active.dids : provider::mor::parse_device_ref(d.device).name
    if d.device != null && d.reseller == null
  ])
  device_username = each.key
}

output "routed_endpoints" {
  value = { for name, d in data.mor_device.routed : name => "${d.ipaddr}:${d.port}" }
}
