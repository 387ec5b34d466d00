# Caller IDs of one device.
data "mor_device_clis" "pbx" {
  device_id = 105
}

# Those not banned.
output "pbx_caller_ids" {
  value = [for c in data.mor_device_clis.pbx.clis : c.cli if !c.banned]
}
