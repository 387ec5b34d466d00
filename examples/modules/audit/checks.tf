# Findings as warnings: a plan or apply shows them and goes on.

locals {
  # "3 device(s) accept calls from any address: SIP/1101, SIP/1117, IAX2/1125"
  warnings = {
    for rule, findings in local.findings_by_rule : rule => format("%d %s: %s",
      length(findings), local.rules[rule].summary, join(", ", [for f in findings : f.name]),
    )
  }
}

check "device_acl_unreadable" {
  assert {
    condition     = length(local.findings_by_rule.device_acl_unreadable) == 0
    error_message = local.warnings.device_acl_unreadable
  }
}

check "device_open_to_any_address" {
  assert {
    condition     = length(local.findings_by_rule.device_open_to_any_address) == 0
    error_message = local.warnings.device_open_to_any_address
  }
}

check "device_open_outside_deny" {
  assert {
    condition     = length(local.findings_by_rule.device_open_outside_deny) == 0
    error_message = local.warnings.device_open_outside_deny
  }
}

check "device_permit_too_wide" {
  assert {
    condition     = length(local.findings_by_rule.device_permit_too_wide) == 0
    error_message = local.warnings.device_permit_too_wide
  }
}

check "device_without_call_limit" {
  assert {
    condition     = length(local.findings_by_rule.device_without_call_limit) == 0
    error_message = local.warnings.device_without_call_limit
  }
}

check "did_active_unrouted" {
  assert {
    condition     = length(local.findings_by_rule.did_active_unrouted) == 0
    error_message = local.warnings.did_active_unrouted
  }
}

check "did_routed_to_unlisted_device" {
  assert {
    condition     = length(local.findings_by_rule.did_routed_to_unlisted_device) == 0
    error_message = local.warnings.did_routed_to_unlisted_device
  }
}

check "cli_shared_by_devices" {
  assert {
    condition     = length(local.findings_by_rule.cli_shared_by_devices) == 0
    error_message = local.warnings.cli_shared_by_devices
  }
}

check "cli_banned_still_assigned" {
  assert {
    condition     = length(local.findings_by_rule.cli_banned_still_assigned) == 0
    error_message = local.warnings.cli_banned_still_assigned
  }
}
