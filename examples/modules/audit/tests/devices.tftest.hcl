# Device rules, with a mocked MOR: no server, no network. Elements of the
# list data sources are given whole (OpenTofu requires every attribute).

mock_provider "mor" {}

variables {
  user_ids = [7]
}

override_data {
  target = data.mor_devices.audited["7"]
  values = {
    devices = [
      { device_id = 101, device_type = "SIP", ipaddr = "0.0.0.0", port = 0, username = "1101", callerid = "\"1101\" <1101>", devicegroup_id = 7, primary_device = true },
      { device_id = 102, device_type = "SIP", ipaddr = "10.0.0.1", port = 5060, username = "1102", callerid = null, devicegroup_id = 7, primary_device = false },
      { device_id = 103, device_type = "IAX2", ipaddr = "10.0.0.2", port = 4569, username = "1103", callerid = null, devicegroup_id = 7, primary_device = false },
      { device_id = 104, device_type = "SIP", ipaddr = "10.1.2.3", port = 5060, username = "1104", callerid = null, devicegroup_id = 7, primary_device = false },
      { device_id = 105, device_type = "SIP", ipaddr = "10.1.2.4", port = 5060, username = "1105", callerid = null, devicegroup_id = 7, primary_device = false },
      { device_id = 106, device_type = "SIP", ipaddr = "10.1.2.5", port = 5060, username = "1106", callerid = null, devicegroup_id = 7, primary_device = false },
      { device_id = 107, device_type = "SIP", ipaddr = "10.1.2.6", port = 5060, username = "1107", callerid = null, devicegroup_id = 7, primary_device = false },
      { device_id = 108, device_type = "SIP", ipaddr = "10.1.2.7", port = 5060, username = "1108", callerid = null, devicegroup_id = 7, primary_device = false },
      { device_id = 109, device_type = "SIP", ipaddr = "10.1.2.8", port = 5060, username = "1109", callerid = null, devicegroup_id = 7, primary_device = false },
      { device_id = 110, device_type = "SIP", ipaddr = "10.1.2.9", port = 5060, username = "1110", callerid = null, devicegroup_id = 7, primary_device = false },
      { device_id = 111, device_type = "SIP", ipaddr = "10.1.2.10", port = 5060, username = "1111", callerid = null, devicegroup_id = 7, primary_device = false },
      { device_id = 112, device_type = "SIP", ipaddr = "10.1.2.11", port = 5060, username = "1112", callerid = null, devicegroup_id = 7, primary_device = false },
      { device_id = 113, device_type = "SIP", ipaddr = "10.1.2.12", port = 5060, username = "1113", callerid = null, devicegroup_id = 7, primary_device = false },
      { device_id = 114, device_type = "SIP", ipaddr = "10.1.2.13", port = 5060, username = "1114", callerid = null, devicegroup_id = 7, primary_device = false },
      { device_id = 115, device_type = "SIP", ipaddr = "10.1.2.14", port = 5060, username = "1115", callerid = null, devicegroup_id = 7, primary_device = false },
      { device_id = 116, device_type = "SIP", ipaddr = "10.1.2.15", port = 5060, username = "1116", callerid = null, devicegroup_id = 7, primary_device = false },
      { device_id = 117, device_type = "SIP", ipaddr = "10.1.2.16", port = 5060, username = "1117", callerid = null, devicegroup_id = 7, primary_device = false },
      { device_id = 118, device_type = "SIP", ipaddr = "10.1.2.17", port = 5060, username = "1118", callerid = null, devicegroup_id = 7, primary_device = false },
      { device_id = 119, device_type = "SIP", ipaddr = "10.1.2.18", port = 5060, username = "1119", callerid = null, devicegroup_id = 7, primary_device = false },
      { device_id = 120, device_type = "SIP", ipaddr = "10.1.2.19", port = 5060, username = "1120", callerid = null, devicegroup_id = 7, primary_device = false },
      { device_id = 121, device_type = "SIP", ipaddr = "10.1.2.20", port = 5060, username = "1121", callerid = null, devicegroup_id = 7, primary_device = false },
      { device_id = 122, device_type = "SIP", ipaddr = "10.1.2.21", port = 5060, username = "1122", callerid = null, devicegroup_id = 7, primary_device = false },
    ]
  }
}

# 101: open to any address (MOR's "any"), with a call limit.
override_data {
  target = data.mor_device.audited["101"]
  values = { device_id = 101, user_id = 7, device_type = "SIP", name = "1101", username = "1101", permit = "0.0.0.0/0.0.0.0", deny = "0.0.0.0/0.0.0.0", call_limit = 5 }
}

# 102: one allowed host and a /12, wider than the default /16; no call limit.
override_data {
  target = data.mor_device.audited["102"]
  values = { device_id = 102, user_id = 7, device_type = "SIP", name = "1102", username = "1102", permit = "10.0.0.1/255.255.255.255;172.16.0.0/255.240.0.0", deny = "0.0.0.0/0.0.0.0", call_limit = 0 }
}

# 103: two halves that together admit every address, no call limit; its
# empty deny (null) adds nothing to that.
override_data {
  target = data.mor_device.audited["103"]
  values = { device_id = 103, user_id = 7, device_type = "IAX2", name = "1103", username = "1103", permit = "0.0.0.0/128.0.0.0;128.0.0.0/1", deny = null, call_limit = 0 }
}

# 104: a /24, an IPv6 /32 (IPv6 networks are not judged by width) and a
# call limit: nothing to report.
override_data {
  target = data.mor_device.audited["104"]
  values = { device_id = 104, user_id = 7, device_type = "SIP", name = "1104", username = "1104", permit = "10.1.2.0/255.255.255.0;2001:db8::/32", deny = "0.0.0.0/0.0.0.0", call_limit = 2 }
}

# 105: a release that sends no permit and no call_limit: not judged by
# those rules, nor by its deny, which such a release may not send either.
override_data {
  target = data.mor_device.audited["105"]
  values = { device_id = 105, user_id = 7, device_type = "SIP", name = "1105", username = "1105", permit = null, deny = null, call_limit = null }
}

# 106 and 107: a /24 permit, but a deny that is empty (null) or leaves most
# addresses out, so Asterisk accepts them.
override_data {
  target = data.mor_device.audited["106"]
  values = { device_id = 106, user_id = 7, device_type = "SIP", name = "1106", username = "1106", permit = "10.1.2.0/255.255.255.0", deny = null, call_limit = 2 }
}

override_data {
  target = data.mor_device.audited["107"]
  values = { device_id = 107, user_id = 7, device_type = "SIP", name = "1107", username = "1107", permit = "10.1.2.0/255.255.255.0", deny = "192.168.0.0/255.255.0.0", call_limit = 2 }
}

# 108: a /16 permit and a deny of every other IPv4 address, in sixteen
# networks: the two name every address, so permit restricts.
override_data {
  target = data.mor_device.audited["108"]
  values = { device_id = 108, user_id = 7, device_type = "SIP", name = "1108", username = "1108", permit = "10.0.0.0/255.255.0.0", deny = "0.0.0.0/5;8.0.0.0/7;11.0.0.0/8;12.0.0.0/6;16.0.0.0/4;32.0.0.0/3;64.0.0.0/2;128.0.0.0/1;10.1.0.0/16;10.2.0.0/15;10.4.0.0/14;10.8.0.0/13;10.16.0.0/12;10.32.0.0/11;10.64.0.0/10;10.128.0.0/9", call_limit = 2 }
}

# 109: a deny of every IPv6 address, which shuts out no IPv4 address.
override_data {
  target = data.mor_device.audited["109"]
  values = { device_id = 109, user_id = 7, device_type = "SIP", name = "1109", username = "1109", permit = "10.1.2.0/255.255.255.0", deny = "::/0", call_limit = 2 }
}

# 110 and 111: IPv4-mapped addresses, which Asterisk reads as IPv4 ones, the
# netmask too: every IPv4 address, and a /12.
override_data {
  target = data.mor_device.audited["110"]
  values = { device_id = 110, user_id = 7, device_type = "SIP", name = "1110", username = "1110", permit = "::ffff:0.0.0.0/1;::ffff:128.0.0.0/1", deny = "0.0.0.0/0.0.0.0", call_limit = 2 }
}

override_data {
  target = data.mor_device.audited["111"]
  values = { device_id = 111, user_id = 7, device_type = "SIP", name = "1111", username = "1111", permit = "::ffff:172.16.0.0/12", deny = "0.0.0.0/0.0.0.0", call_limit = 2 }
}

# 112: no permit beside a narrow deny: Asterisk accepts every other address.
override_data {
  target = data.mor_device.audited["112"]
  values = { device_id = 112, user_id = 7, device_type = "SIP", name = "1112", username = "1112", permit = null, deny = "192.168.0.0/255.255.0.0", call_limit = 2 }
}

# 113 to 116: entries the provider's functions cannot read (a host name,
# Asterisk's "!" exception, a no-break space), reported as unreadable
# instead of failing the plan. A readable permit is still judged, as permit
# comes after deny: 114 is open to any address, 116's /8 too wide.
override_data {
  target = data.mor_device.audited["113"]
  values = { device_id = 113, user_id = 7, device_type = "SIP", name = "1113", username = "1113", permit = "10.1.2.0/255.255.255.0;pbx.example.com", deny = "0.0.0.0/0.0.0.0", call_limit = 2 }
}

override_data {
  target = data.mor_device.audited["114"]
  values = { device_id = 114, user_id = 7, device_type = "SIP", name = "1114", username = "1114", permit = "0.0.0.0/0.0.0.0", deny = "10.9.0.0/16; !10.9.1.0/24", call_limit = 2 }
}

override_data {
  target = data.mor_device.audited["115"]
  values = { device_id = 115, user_id = 7, device_type = "SIP", name = "1115", username = "1115", permit = "10.1.2.0/255.255.255.0", deny = "0.0.0.0/0.0.0.0\u00a0", call_limit = 2 }
}

override_data {
  target = data.mor_device.audited["116"]
  values = { device_id = 116, user_id = 7, device_type = "SIP", name = "1116", username = "1116", permit = "10.0.0.0/8", deny = "!10.1.2.3;!10.1.2.3", call_limit = 2 }
}

# 117: permit and deny that hold no entry: as empty as 105's, not judged.
override_data {
  target = data.mor_device.audited["117"]
  values = { device_id = 117, user_id = 7, device_type = "SIP", name = "1117", username = "1117", permit = " ; ", deny = ";", call_limit = 2 }
}

# 118 to 120: every IPv6 address, no IPv4 one: open to any IPv6 address, as
# the finding says, and still judged as to IPv4: 119 denies nothing, so it
# accepts every IPv4 address too; 120's /8 is too wide.
override_data {
  target = data.mor_device.audited["118"]
  values = { device_id = 118, user_id = 7, device_type = "SIP", name = "1118", username = "1118", permit = "::/0", deny = "0.0.0.0/0.0.0.0", call_limit = 2 }
}

override_data {
  target = data.mor_device.audited["119"]
  values = { device_id = 119, user_id = 7, device_type = "SIP", name = "1119", username = "1119", permit = "::/0", deny = null, call_limit = 2 }
}

override_data {
  target = data.mor_device.audited["120"]
  values = { device_id = 120, user_id = 7, device_type = "SIP", name = "1120", username = "1120", permit = "::/0;10.0.0.0/255.0.0.0", deny = "0.0.0.0/0.0.0.0", call_limit = 2 }
}

# 121: a blank after the deny, which the realtime driver may leave in place,
# so that Asterisk drops the entry.
override_data {
  target = data.mor_device.audited["121"]
  values = { device_id = 121, user_id = 7, device_type = "SIP", name = "1121", username = "1121", permit = "10.1.2.0/255.255.255.0", deny = "0.0.0.0/0.0.0.0 ", call_limit = 2 }
}

# 122: an entry of one letter and a hundred combining marks, one character
# to Terraform: shown cut, each mark as U+FFFD.
override_data {
  target = data.mor_device.audited["122"]
  values = { device_id = 122, user_id = 7, device_type = "SIP", name = "1122", username = "1122", permit = "10.1.2.0/255.255.255.0", deny = "0.0.0.0/0.0.0.0;x\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301", call_limit = 2 }
}

override_data {
  target = data.mor_dids.audited["7"]
  values = { dids = [] }
}

override_data {
  target = data.mor_device_clis.audited["7"]
  values = { clis = [] }
}

run "device_rules" {
  command = plan

  # The findings also show as warnings of the module's check blocks.
  expect_failures = [check.device_acl_unreadable, check.device_open_to_any_address, check.device_open_outside_deny, check.device_permit_too_wide, check.device_without_call_limit]

  assert {
    condition     = output.audited_device_count == 22
    error_message = "Expected the 22 listed devices to be read in full, got ${output.audited_device_count}."
  }
  assert {
    condition     = [for f in output.findings : f.name if f.rule == "device_acl_unreadable"] == ["SIP/1113", "SIP/1114", "SIP/1115", "SIP/1116", "SIP/1121", "SIP/1122"]
    error_message = "device_acl_unreadable: expected SIP/1113 (a host name in permit), SIP/1114 and SIP/1116 (an exception in deny), SIP/1115 (a no-break space), SIP/1121 (a blank) and SIP/1122 (combining marks), and no device whose entries are addresses."
  }
  assert {
    condition     = [for f in output.findings : f.message if f.rule == "device_acl_unreadable" && contains([115, 121], f.id)] == ["Device SIP/1115 of user 7 has deny entry \"0.0.0.0/0.0.0.0\uFFFD\", which the audit cannot read as an address with an optional netmask, so it cannot tell every address Asterisk accepts calls from: the device may accept calls from any address. Write each entry as an address with an optional netmask (10.1.2.0/255.255.255.0), entries joined by \";\", without \"!\" exceptions or \",\" lists, which the audit does not read. Until then, the other rules judge its permit alone.", "Device SIP/1121 of user 7 has deny entry \"0.0.0.0/0.0.0.0 \", which the audit cannot read as an address with an optional netmask, so it cannot tell every address Asterisk accepts calls from: the device may accept calls from any address. Write each entry as an address with an optional netmask (10.1.2.0/255.255.255.0), entries joined by \";\", without \"!\" exceptions or \",\" lists, which the audit does not read. Until then, the other rules judge its permit alone."]
    error_message = "The findings for SIP/1115 and SIP/1121 must show the character that makes the entry unreadable: a no-break space as \uFFFD, a blank as it is."
  }
  assert {
    condition     = one([for f in output.findings : f.message if f.id == 113 && f.rule == "device_acl_unreadable"]) == "Device SIP/1113 of user 7 has permit entry \"pbx.example.com\", which the audit cannot read as an address with an optional netmask, so it cannot tell every address Asterisk accepts calls from: the device may accept calls from any address. Write each entry as an address with an optional netmask (10.1.2.0/255.255.255.0), entries joined by \";\", without \"!\" exceptions or \",\" lists, which the audit does not read. Until then, no other address rule judges it."
    error_message = "The finding for SIP/1113 is not the one documented."
  }
  assert {
    condition     = one([for f in output.findings : f.message if f.id == 116 && f.rule == "device_acl_unreadable"]) == "Device SIP/1116 of user 7 has deny entry \"!10.1.2.3\", which the audit cannot read as an address with an optional netmask, so it cannot tell every address Asterisk accepts calls from: the device may accept calls from any address. Write each entry as an address with an optional netmask (10.1.2.0/255.255.255.0), entries joined by \";\", without \"!\" exceptions or \",\" lists, which the audit does not read. Until then, the other rules judge its permit alone."
    error_message = "The finding for SIP/1116 is not the one documented: each unreadable entry named once, with its list."
  }
  assert {
    condition     = [for f in output.findings : f.name if f.rule == "device_open_outside_deny"] == ["SIP/1106", "SIP/1107", "SIP/1109", "SIP/1112", "SIP/1119"]
    error_message = "device_open_outside_deny: expected SIP/1106 (deny null), SIP/1107 (a /16 deny), SIP/1109 (an IPv6 deny), SIP/1112 (no permit, a /16 deny) and SIP/1119 (an IPv6 permit, no deny), not 1101, 1102, 1104 (deny 0.0.0.0/0.0.0.0), 1103 (open to any address, reported as such), 1105 (no permit sent) or 1108 (deny and permit name every address)."
  }
  assert {
    condition     = one([for f in output.findings : f.message if f.id == 107 && f.rule == "device_open_outside_deny"]) == "Device SIP/1107 of user 7 denies 192.168.0.0/255.255.0.0 and permits 10.1.2.0/255.255.255.0, so Asterisk, which accepts the addresses no deny or permit rule names, accepts calls from every IPv4 address outside both, whatever permit says. Set deny to 0.0.0.0/0.0.0.0, MOR's default, so that permit alone says who may call."
    error_message = "The finding for SIP/1107 is not the one documented."
  }
  assert {
    condition     = strcontains(one([for f in output.findings : f.message if f.id == 122 && f.rule == "device_acl_unreadable"]), format("has deny entry \"x%s…\", which", join("", [for i in range(59) : "\uFFFD"])))
    error_message = "The finding for SIP/1122 must show its entry cut at 60 characters, each combining mark as U+FFFD."
  }
  assert {
    condition     = one([for f in output.findings : f.message if f.id == 106 && f.rule == "device_open_outside_deny"]) == "Device SIP/1106 of user 7 denies nothing (deny is empty) and permits 10.1.2.0/255.255.255.0, so Asterisk, which accepts the addresses no deny or permit rule names, accepts calls from every IPv4 address, whatever permit says. Set deny to 0.0.0.0/0.0.0.0, MOR's default, so that permit alone says who may call."
    error_message = "The finding for SIP/1106 (deny empty) must say that every IPv4 address is accepted, not every one outside both lists."
  }
  assert {
    condition     = one([for f in output.findings : f.message if f.id == 112 && f.rule == "device_open_outside_deny"]) == "Device SIP/1112 of user 7 denies 192.168.0.0/255.255.0.0 and permits nothing (permit is empty), so Asterisk, which accepts the addresses no deny or permit rule names, accepts calls from every IPv4 address outside both, whatever permit says. Set permit to the addresses of the customer's phones or PBX, and deny to 0.0.0.0/0.0.0.0, MOR's default."
    error_message = "The finding for SIP/1112 (no permit) must advise setting permit as well as deny: deny alone would shut the device out."
  }
  assert {
    condition     = [for f in output.findings : f.name if f.rule == "device_open_to_any_address"] == ["SIP/1101", "IAX2/1103", "SIP/1110", "SIP/1114", "SIP/1118", "SIP/1119", "SIP/1120"]
    error_message = "device_open_to_any_address: expected SIP/1101 (0.0.0.0/0.0.0.0), IAX2/1103 (two halves), SIP/1110 (two IPv4-mapped halves), SIP/1114 (any, whatever its unreadable deny says) and SIP/1118 to SIP/1120 (any IPv6 address), not 1102, 1104 or 1105."
  }
  assert {
    condition     = one([for f in output.findings : f.message if f.id == 118 && f.rule == "device_open_to_any_address"]) == "Device SIP/1118 of user 7 accepts calls from any IPv6 address (permit ::/0), if its Asterisk listens on IPv6: anyone who learns its password can place calls through it from anywhere, billed to the customer. Set permit to the addresses of the customer's phones or PBX."
    error_message = "The finding for SIP/1118 must say that every IPv6 address is permitted, not every address."
  }
  assert {
    condition     = [for f in output.findings : f.name if f.rule == "device_permit_too_wide"] == ["SIP/1102", "SIP/1111", "SIP/1116", "SIP/1120"]
    error_message = "device_permit_too_wide: expected SIP/1102 and SIP/1111 (a /12), SIP/1116 (a /8, whatever its unreadable deny says) and SIP/1120 (a /8 beside every IPv6 address), not 1113 (an unreadable permit)."
  }
  assert {
    condition     = [for f in output.findings : f.name if f.rule == "device_without_call_limit"] == ["SIP/1102", "IAX2/1103"]
    error_message = "device_without_call_limit: expected SIP/1102 and IAX2/1103 (call_limit 0), not 1101, 1104 (a limit) or 1105 (not sent)."
  }
  assert {
    condition     = alltrue([for f in output.findings : f.kind == "device" && contains([101, 102, 103, 106, 107, 109, 110, 111, 112, 113, 114, 115, 116, 118, 119, 120, 121, 122], f.id) if startswith(f.rule, "device_")])
    error_message = "Device findings must name the device kind and its MOR id."
  }
  assert {
    condition = one([for f in output.findings : f if f.rule == "device_open_to_any_address" && f.id == 101]) == {
      rule     = "device_open_to_any_address"
      severity = "high"
      kind     = "device"
      id       = 101
      name     = "SIP/1101"
      message  = "Device SIP/1101 of user 7 accepts calls from any address (permit 0.0.0.0/0.0.0.0): anyone who learns its password can place calls through it from anywhere, billed to the customer. Set permit to the addresses of the customer's phones or PBX."
    }
    error_message = "The finding for SIP/1101 is not the one documented."
  }
  assert {
    condition     = output.counts == { device_acl_unreadable = 6, device_open_to_any_address = 7, device_open_outside_deny = 5, device_permit_too_wide = 4, device_without_call_limit = 2, did_active_unrouted = 0, did_routed_to_unlisted_device = 0, cli_shared_by_devices = 0, cli_banned_still_assigned = 0 }
    error_message = "Unexpected counts: ${jsonencode(output.counts)}"
  }
}

run "permit_threshold" {
  command = plan

  variables {
    min_permit_prefix_length = 12
  }

  expect_failures = [check.device_acl_unreadable, check.device_open_to_any_address, check.device_open_outside_deny, check.device_permit_too_wide, check.device_without_call_limit]

  assert {
    condition     = [for f in output.findings : f.name if f.rule == "device_permit_too_wide"] == ["SIP/1116", "SIP/1120"]
    error_message = "With min_permit_prefix_length = 12 a /12 is not too wide (SIP/1102, SIP/1111), a /8 is (SIP/1116, SIP/1120)."
  }
}

run "no_users_no_findings" {
  command = plan

  variables {
    user_ids = []
  }

  assert {
    condition     = output.findings == [] && alltrue([for rule, n in output.counts : n == 0]) && length(output.counts) == 9
    error_message = "Auditing nobody must find nothing and still count every rule."
  }
}
