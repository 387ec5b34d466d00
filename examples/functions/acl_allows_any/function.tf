# Provider-defined functions need Terraform 1.8 or OpenTofu 1.7 or later.

# true: MOR's "any address"
output "open" {
  value = provider::mor::acl_allows_any("0.0.0.0/0.0.0.0")
}

# Warn when the PBX accepts calls from anywhere: a check block reports a
# failed assertion as a warning, and the run goes on.
data "mor_device" "pbx" {
  device_id = 105
}

check "pbx_is_not_open" {
  assert {
    condition     = !provider::mor::acl_allows_any(data.mor_device.pbx.permit)
    error_message = "Device ${data.mor_device.pbx.username} accepts calls from any address (permit ${data.mor_device.pbx.permit})."
  }
}
