# { protocol = "SIP", name = "1251" }
output "device" {
  value = provider::mor::parse_device_ref("SIP/1251")
}

# Look up the device each active DID routes to, by its name.
data "mor_dids" "active" {
  status = "active"
}

data "mor_device" "routed" {
  for_each = toset([
    for d in data.mor_dids.active.dids : provider::mor::parse_device_ref(d.device).name if d.device != null
  ])
  device_username = each.key
}
