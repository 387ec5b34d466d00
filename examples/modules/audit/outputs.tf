output "findings" {
  description = "Every finding: rule, severity (high, medium, low), kind (device, did, cli), id (MOR's id of the object; null when MOR does not send it), name (SIP/1251, the DID or the CLI number) and message (what is wrong, why it matters, what to do)."
  value       = flatten([for rule, findings in local.findings_by_rule : findings])
}

output "counts" {
  description = "Number of findings per rule, every rule included (0 when it found nothing)."
  value       = { for rule, findings in local.findings_by_rule : rule => length(findings) }
}

output "audited_device_count" {
  description = "Devices audited: every device of the users in user_ids."
  value       = length(data.mor_device.audited)
}
