# What the audit reads from MOR.

# Without user_ids, the users come from mor_users (users_get, which needs the
# provider's password).
data "mor_users" "all" {
  count = var.user_ids == null ? 1 : 0
}

locals {
  listed_users = var.user_ids == null ? data.mor_users.all[0].users : []
  listed_ids   = toset([for u in local.listed_users : u.id])
  # MOR lets the API user list the devices of the users it owns. Unless
  # scope_owner_id says who that is, the owner is found in the list itself:
  # users_get leaves the API user out, so its users are those whose owner is
  # not listed; 0 (the admin) stands for an accountant too, which acts in the
  # admin's scope and sees the admin listed.
  in_scope = {
    # HCL evaluates both sides of && and ||: a null owner_id is tested first.
    for u in local.listed_users : tostring(u.id) => u.owner_id == null ? false : (
      var.scope_owner_id != null ? u.owner_id == var.scope_owner_id : (u.owner_id == 0 ? true : !contains(local.listed_ids, u.owner_id))
    )
  }
  # Each user's type in lower case, as mor_users' usertype filter compares it.
  user_type = { for u in local.listed_users : tostring(u.id) => u.usertype == null ? null : lower(u.usertype) }
  # Customers only (usertype user): a DID search for a reseller's id also
  # returns its customers' DIDs.
  readable_users = [for u in local.listed_users : u if local.in_scope[tostring(u.id)] && local.user_type[tostring(u.id)] == "user"]
  unaudited_users = [
    for u in local.listed_users : {
      id       = u.id
      username = u.username
      owner_id = u.owner_id
      why = u.owner_id == null ? "MOR sent no owner_id for this user, so the module cannot tell whether the API user may list its devices. Name it in user_ids to audit it." : format(
        "User %d belongs to owner %d, outside the API user's scope: MOR lets only its owner's API user (for a reseller's customer, that reseller's) list its devices. Audit it with this module through a provider alias configured with that reseller's API user.",
      u.id, u.owner_id)
    } if !local.in_scope[tostring(u.id)]
  ]
  skipped_users = [
    for u in local.listed_users : {
      id       = u.id
      username = u.username
      usertype = u.usertype
      why = local.user_type[tostring(u.id)] == "reseller" ? "A reseller, not a customer: its own devices are not audited by default, because MOR's DID search by its id also returns the DIDs of its customers, which the DID rules would judge against its own devices. Name it in user_ids to audit them anyway." : format(
        "%s, not a customer: only customers' devices are audited by default. Name it in user_ids to audit its own devices.",
      u.usertype == null ? "A user MOR sent without a usertype" : (contains(["admin", "accountant"], local.user_type[tostring(u.id)]) ? "An ${u.usertype}" : "A ${u.usertype}"))
    } if local.in_scope[tostring(u.id)] && local.user_type[tostring(u.id)] != "user"
  ]
  audited_users = toset(var.user_ids != null ? [for id in var.user_ids : tostring(id)] : [for u in local.readable_users : tostring(u.id)])
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

# MOR's DID search by user matches user_id or reseller_id, so for the admin
# (0) it would return every DID no reseller has: the admin's DIDs are read
# with all_dids alone.
data "mor_dids" "audited" {
  for_each = { for id in local.audited_users : id => id if id != "0" }
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
