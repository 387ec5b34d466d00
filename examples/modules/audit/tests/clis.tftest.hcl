# CLI rules, with a mocked MOR. Elements are given whole.

mock_provider "mor" {}

variables {
  user_ids = [7]
  all_clis = true
}

override_data {
  target = data.mor_devices.audited["7"]
  values = {
    devices = [
      { device_id = 101, device_type = "SIP", ipaddr = "10.0.0.1", port = 5060, username = "1101", callerid = null, devicegroup_id = 7, primary_device = true },
    ]
  }
}

override_data {
  target = data.mor_device.audited["101"]
  values = { device_id = 101, user_id = 7, device_type = "SIP", name = "1101", username = "1101", permit = "10.0.0.1/255.255.255.255", deny = "0.0.0.0/0.0.0.0", call_limit = 2 }
}

override_data {
  target = data.mor_dids.audited["7"]
  values = { dids = [] }
}

# User 7's CLIs.
override_data {
  target = data.mor_device_clis.audited["7"]
  values = {
    clis = [
      { id = 1, cli = "37052000001", device = "SIP/1101", description = "main", domain = null, ivr = null, added_at = "2015-08-31 12:40:23 +0300", updated_at = "2016-01-05 16:14:48 +0300", comment = null, email_callback = false, banned = false },
      { id = 2, cli = "37052000002", device = "SIP/1101", description = "old", domain = null, ivr = null, added_at = "2015-08-31 12:40:23 +0300", updated_at = "2016-01-05 16:14:48 +0300", comment = "abuse", email_callback = false, banned = true },
      { id = 3, cli = "37052000003", device = "SIP/1101", description = null, domain = null, ivr = "Main IVR", added_at = "2015-08-31 12:40:23 +0300", updated_at = "2016-01-05 16:14:48 +0300", comment = null, email_callback = true, banned = false },
    ]
  }
}

# Every CLI the API user sees: user 7's again (counted once), 37052000001
# also on another user's device, 37052000003 twice on the same device
# (one device: not shared), and a banned record of 37052000001 on no
# device (neither shared nor assigned).
override_data {
  target = data.mor_device_clis.all[0]
  values = {
    clis = [
      { id = 1, cli = "37052000001", device = "SIP/1101", description = "main", domain = null, ivr = null, added_at = "2015-08-31 12:40:23 +0300", updated_at = "2016-01-05 16:14:48 +0300", comment = null, email_callback = false, banned = false },
      { id = 2, cli = "37052000002", device = "SIP/1101", description = "old", domain = null, ivr = null, added_at = "2015-08-31 12:40:23 +0300", updated_at = "2016-01-05 16:14:48 +0300", comment = "abuse", email_callback = false, banned = true },
      { id = 3, cli = "37052000003", device = "SIP/1101", description = null, domain = null, ivr = "Main IVR", added_at = "2015-08-31 12:40:23 +0300", updated_at = "2016-01-05 16:14:48 +0300", comment = null, email_callback = true, banned = false },
      { id = 4, cli = "37052000001", device = "IAX2/1250", description = "copy", domain = null, ivr = null, added_at = "2015-09-01 10:00:00 +0300", updated_at = "2016-01-06 16:14:48 +0300", comment = null, email_callback = false, banned = false },
      { id = 5, cli = "37052000003", device = "SIP/1101", description = "again", domain = null, ivr = null, added_at = "2015-09-01 10:00:00 +0300", updated_at = "2016-01-06 16:14:48 +0300", comment = null, email_callback = false, banned = false },
      { id = 6, cli = "37052000001", device = null, description = null, domain = null, ivr = null, added_at = "2015-09-01 10:00:00 +0300", updated_at = "2016-01-06 16:14:48 +0300", comment = null, email_callback = false, banned = true },
    ]
  }
}

run "cli_rules" {
  command = plan

  expect_failures = [check.cli_shared_by_devices, check.cli_banned_still_assigned]

  assert {
    condition     = sort([for f in output.findings : tostring(f.id) if f.rule == "cli_shared_by_devices"]) == tolist(["1", "4"])
    error_message = "cli_shared_by_devices: expected CLI records 1 and 4 (37052000001 on SIP/1101 and IAX2/1250), not 6 (on no device), nor 3 and 5 (one device)."
  }
  assert {
    condition     = [for f in output.findings : f.id if f.rule == "cli_banned_still_assigned"] == [2]
    error_message = "cli_banned_still_assigned: expected CLI record 2, not 6 (banned, on no device) or the others (not banned)."
  }
  assert {
    condition = one([for f in output.findings : f if f.rule == "cli_shared_by_devices" && f.id == 4]) == {
      rule     = "cli_shared_by_devices"
      severity = "medium"
      kind     = "cli"
      id       = 4
      name     = "37052000001"
      message  = "CLI 37052000001 (on IAX2/1250) is assigned to 2 devices (IAX2/1250, SIP/1101): MOR recognises callers by CLI (ANI authentication, callback, calling cards), so calls from this number can be authorised and billed as the wrong device. Keep each CLI on one device."
    }
    error_message = "The finding for CLI record 4 is not the one documented."
  }
  assert {
    condition     = output.counts == { device_acl_unreadable = 0, device_open_to_any_address = 0, device_open_outside_deny = 0, device_permit_too_wide = 0, device_without_call_limit = 0, did_active_unrouted = 0, did_routed_to_unlisted_device = 0, cli_shared_by_devices = 2, cli_banned_still_assigned = 1 }
    error_message = "Unexpected counts: ${jsonencode(output.counts)}"
  }
}

run "threshold_allows_two_devices" {
  command = plan

  variables {
    max_devices_per_cli = 2
  }

  expect_failures = [check.cli_banned_still_assigned]

  assert {
    condition     = output.counts.cli_shared_by_devices == 0
    error_message = "With max_devices_per_cli = 2 a CLI on two devices is not reported."
  }
}

run "only_audited_users_clis" {
  command = plan

  variables {
    all_clis = false
  }

  expect_failures = [check.cli_banned_still_assigned]

  assert {
    condition     = output.counts.cli_shared_by_devices == 0 && output.counts.cli_banned_still_assigned == 1
    error_message = "Without all_clis only user 7's CLIs are audited: none shared, one banned."
  }
}

run "threshold_must_be_a_whole_number_of_at_least_1" {
  command = plan

  variables {
    max_devices_per_cli = 0
  }

  expect_failures = [var.max_devices_per_cli]
}
