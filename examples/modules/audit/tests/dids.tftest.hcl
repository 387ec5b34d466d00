# DID rules, with a mocked MOR. Elements are given whole.

mock_provider "mor" {}

variables {
  user_ids = [7]
  all_dids = true
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
  target = data.mor_device_clis.audited["7"]
  values = { clis = [] }
}

# User 7's DIDs.
override_data {
  target = data.mor_dids.audited["7"]
  values = {
    dids = [
      # Active, routed nowhere.
      { id = 6501, did = "37060000001", provider = "Provider 1", language = "en", status = "Active", reseller = null, owner = "Ona Petraitis 7", device = null, dial_plan = null, simultaneous_call_limit = "Unlimited", comment = null, tone_zone = "lt" },
      # Active, answered by an IVR: routed.
      { id = 6502, did = "37060000002", provider = "Provider 1", language = "en", status = "Active", reseller = null, owner = "Ona Petraitis 7", device = null, dial_plan = "IVR menu (ivr)", simultaneous_call_limit = "Unlimited", comment = null, tone_zone = "lt" },
      # Reserved, routed nowhere: not in use yet.
      { id = 6503, did = "37060000003", provider = "Provider 1", language = "en", status = "Reserved", reseller = null, owner = "Ona Petraitis 7", device = null, dial_plan = null, simultaneous_call_limit = "Unlimited", comment = null, tone_zone = "lt" },
      # Routed to the user's own device (technology in another case).
      { id = 6504, did = "37060000004", provider = "Provider 1", language = "en", status = "Active", reseller = null, owner = "Ona Petraitis 7", device = "sip/1101", dial_plan = null, simultaneous_call_limit = "2", comment = null, tone_zone = "lt" },
      # Routed to a device MOR does not list among user 7's.
      { id = 6505, did = "37060000005", provider = "Provider 2", language = "lt", status = "Active", reseller = null, owner = "Ona Petraitis 7", device = "SIP/1999", dial_plan = null, simultaneous_call_limit = "Unlimited", comment = "ported from old carrier", tone_zone = "lt" },
      # Same name, other technology: not the user's device either.
      { id = 6506, did = "37060000006", provider = "Provider 2", language = "lt", status = "Closed", reseller = null, owner = "Ona Petraitis 7", device = "IAX2/1101", dial_plan = null, simultaneous_call_limit = "Unlimited", comment = null, tone_zone = "lt" },
    ]
  }
}

# Every DID the API user sees: 6501 again (counted once), and another
# user's active DID routed nowhere. DIDs of users not audited are not judged
# by did_routed_to_unlisted_device: their owners' devices were not read.
override_data {
  target = data.mor_dids.all[0]
  values = {
    dids = [
      { id = 6501, did = "37060000001", provider = "Provider 1", language = "en", status = "Active", reseller = null, owner = "Ona Petraitis 7", device = null, dial_plan = null, simultaneous_call_limit = "Unlimited", comment = null, tone_zone = "lt" },
      { id = 6601, did = "37060000101", provider = "Provider 1", language = "en", status = "Active", reseller = "Reseller 1", owner = "Rasa Butkus 8", device = null, dial_plan = null, simultaneous_call_limit = "Unlimited", comment = null, tone_zone = "it" },
      { id = 6602, did = "37060000102", provider = "Provider 1", language = "en", status = "Active", reseller = null, owner = "Tomas Jankauskas 9", device = "SIP/1250", dial_plan = null, simultaneous_call_limit = "Unlimited", comment = null, tone_zone = "it" },
      { id = 6603, did = "37060000103", provider = "Provider 1", language = "en", status = "Free", reseller = null, owner = null, device = null, dial_plan = null, simultaneous_call_limit = "Unlimited", comment = null, tone_zone = "it" },
    ]
  }
}

run "did_rules" {
  command = plan

  expect_failures = [check.did_active_unrouted, check.did_routed_to_unlisted_device]

  assert {
    condition     = [for f in output.findings : f.name if f.rule == "did_active_unrouted"] == ["37060000001", "37060000101"]
    error_message = "did_active_unrouted: expected 37060000001 (once) and 37060000101, not the IVR, reserved, routed or free ones."
  }
  assert {
    condition     = [for f in output.findings : f.name if f.rule == "did_routed_to_unlisted_device"] == ["37060000005", "37060000006"]
    error_message = "did_routed_to_unlisted_device: expected 37060000005 (SIP/1999) and 37060000006 (IAX2/1101), not 37060000004 (sip/1101) or another user's DID."
  }
  assert {
    condition = one([for f in output.findings : f if f.rule == "did_routed_to_unlisted_device" && f.id == 6505]) == {
      rule     = "did_routed_to_unlisted_device"
      severity = "high"
      kind     = "did"
      id       = 6505
      name     = "37060000005"
      message  = "DID 37060000005 of user 7 is routed to SIP/1999, which MOR does not list among user 7's devices: the device was deleted or belongs to someone else, so calls to the number fail or ring another customer. Route the DID to one of the user's devices."
    }
    error_message = "The finding for DID 37060000005 is not the one documented."
  }
  assert {
    condition     = output.counts == { device_acl_unreadable = 0, device_open_to_any_address = 0, device_open_outside_deny = 0, device_permit_too_wide = 0, device_without_call_limit = 0, did_active_unrouted = 2, did_routed_to_unlisted_device = 2, cli_shared_by_devices = 0, cli_banned_still_assigned = 0 }
    error_message = "Unexpected counts: ${jsonencode(output.counts)}"
  }
}

run "only_audited_users_dids" {
  command = plan

  variables {
    all_dids = false
  }

  expect_failures = [check.did_active_unrouted, check.did_routed_to_unlisted_device]

  assert {
    condition     = [for f in output.findings : f.name if f.rule == "did_active_unrouted"] == ["37060000001"]
    error_message = "Without all_dids only user 7's DIDs are audited."
  }
}
