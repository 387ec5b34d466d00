# Every device of user 42.
data "mor_devices" "customer" {
  user_id = 42
}

# Devices of that user that accept calls from any address.
output "devices_open_to_any_ip" {
  value = [
    for d in data.mor_devices.customer.devices : d.username
    if d.ipaddr == "0.0.0.0"
  ]
}
