# What the audit reads from MOR.

locals {
  audited_users = toset([for id in var.user_ids : tostring(id)])
}

data "mor_devices" "audited" {
  for_each = local.audited_users
  user_id  = each.value
}

locals {
  # Every audited device, with the user it was listed for.
  listed_devices = flatten([
    for user_id, list in data.mor_devices.audited : [
      for d in list.devices : { device_id = d.device_id, device_type = d.device_type, username = d.username, user_id = tonumber(user_id) }
    ]
  ])
}

# permit and call_limit are only in a device's full record.
data "mor_device" "audited" {
  for_each  = { for d in local.listed_devices : tostring(d.device_id) => d.device_id }
  device_id = each.value
}

data "mor_dids" "audited" {
  for_each = local.audited_users
  user_id  = each.value
}

data "mor_dids" "all" {
  count = var.all_dids ? 1 : 0
}

data "mor_device_clis" "audited" {
  for_each = local.audited_users
  user_id  = each.value
}

data "mor_device_clis" "all" {
  count = var.all_clis ? 1 : 0
}

locals {
  # The same DID or CLI read twice (an audited user's and all) counts once.
  dids = [
    for key, same in {
      for d in flatten(concat([for l in data.mor_dids.audited : l.dids], [for l in data.mor_dids.all : l.dids])) :
      "${d.did}/${coalesce(d.id, 0)}" => d...
    } : same[0]
  ]
  clis = [
    for id, same in {
      for c in flatten(concat([for l in data.mor_device_clis.audited : l.clis], [for l in data.mor_device_clis.all : l.clis])) :
      tostring(c.id) => c...
    } : same[0]
  ]
}
