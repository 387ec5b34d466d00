# Provider-defined functions need Terraform 1.8 or OpenTofu 1.7 or later.

# ["10.0.0.0/8", "192.168.1.1/32"]
output "networks" {
  value = provider::mor::parse_acl("10.0.0.0/255.0.0.0;192.168.1.1/255.255.255.255")
}

# The networks a device accepts calls from.
data "mor_device" "pbx" {
  device_id = 105
}

output "pbx_permits" {
  value = provider::mor::parse_acl(data.mor_device.pbx.permit)
}
