output "findings" {
  description = "Every finding: rule, severity (high, medium, low), kind (device, did, cli), id (MOR's id of the object; null when MOR does not send it), name (SIP/1251, the DID or the CLI number) and message (what is wrong, why it matters, what to do)."
  value       = flatten([for rule, findings in local.findings_by_rule : findings])
}

output "counts" {
  description = "Number of findings per rule, every rule included (0 when it found nothing)."
  value       = { for rule, findings in local.findings_by_rule : rule => length(findings) }
}

output "audited_device_count" {
  description = "Devices audited: every device of the audited users."
  value       = length(data.mor_device.audited)
}

output "audited_user_ids" {
  description = "The users audited: user_ids, or, when it is left out, every customer in the API user's scope that mor_users lists, by id."
  value       = var.user_ids != null ? var.user_ids : [for u in local.readable_users : u.id]
}

output "unaudited_users" {
  description = "With user_ids left out: the users mor_users lists whose devices the API user may not list (their owner is not the API user), and those MOR sends without an owner_id, as objects with id, username, owner_id and why (what to do). They are reported, never an error. Empty when user_ids is set."
  value       = local.unaudited_users
}

output "skipped_users" {
  description = "With user_ids left out: the users in the API user's scope that are not customers (resellers, accountants, partners, the admin, users MOR sends without a usertype), whose own devices are not audited by default, as objects with id, username, usertype and why. Empty when user_ids is set."
  value       = local.skipped_users
}
