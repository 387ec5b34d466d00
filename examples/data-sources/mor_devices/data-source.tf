# Every device of user 6, without passwords (include_secrets is false).
data "mor_devices" "customer" {
  user_id = 6
}

# Its dynamic devices that are not registered now: MOR shows their ipaddr
# as 0.0.0.0.
output "devices_not_registered" {
  value = [
    for d in data.mor_devices.customer.devices : d.username
    if d.ipaddr == "0.0.0.0"
  ]
}

# Which of them accept calls from any address? That is the device's permit
# ACL (0.0.0.0/0.0.0.0, or networks adding up to every address), which only
# a device's full record holds: read each with mor_device and ask the
# provider's acl_allows_any function (Terraform 1.8 or later).
data "mor_device" "customer" {
  for_each  = { for d in data.mor_devices.customer.devices : tostring(d.device_id) => d.device_id }
  device_id = each.value
}

output "devices_open_to_any_address" {
  value = [
    for d in data.mor_device.customer : d.username
    if provider::mor::acl_allows_any(d.permit)
  ]
}
