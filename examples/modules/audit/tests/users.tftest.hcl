# Without user_ids: the users come from mor_users, with a mocked MOR. The
# admin's customers are audited; a reseller's customer is reported in
# unaudited_users, not read, and fails nothing. user3's type, "User", is read
# in any letter case, as mor_users' usertype filter reads it.

mock_provider "mor" {}

override_data {
  target = data.mor_users.all[0]
  values = {
    users = [
      { id = 3, username = "reseller1", first_name = "Reseller", last_name = "1", usertype = "reseller", owner_id = 0, blocked = false, hidden = false, lcr_id = 1, tariff_id = 1, balance = "0.0000" },
      { id = 5, username = "user1", first_name = "Ona", last_name = "Kazlauskas", usertype = "user", owner_id = 0, blocked = false, hidden = false, lcr_id = 1, tariff_id = 2, balance = "12.5000" },
      { id = 6, username = "user2", first_name = "Petras", last_name = "Butkus", usertype = "user", owner_id = 3, blocked = false, hidden = false, lcr_id = 1, tariff_id = 2, balance = "3.0000" },
      { id = 7, username = "user3", first_name = "Rasa", last_name = null, usertype = "User", owner_id = 0, blocked = true, hidden = false, lcr_id = 2, tariff_id = 1, balance = "0.0000" },
      { id = 8, username = "user4", first_name = null, last_name = null, usertype = "user", owner_id = null, blocked = false, hidden = false, lcr_id = null, tariff_id = null, balance = null },
    ]
  }
}

override_data {
  target = data.mor_devices.audited["5"]
  values = {
    devices = [
      { device_id = 101, device_type = "SIP", ipaddr = "0.0.0.0", port = 0, username = "1101", callerid = null, devicegroup_id = 5, primary_device = true },
    ]
  }
}

override_data {
  target = data.mor_devices.audited["7"]
  values = { devices = [] }
}

override_data {
  target = data.mor_device.audited["101"]
  values = { device_id = 101, user_id = 5, device_type = "SIP", name = "1101", username = "1101", permit = "0.0.0.0/0.0.0.0", deny = "0.0.0.0/0.0.0.0", call_limit = 5 }
}

override_data {
  target = data.mor_dids.audited["5"]
  values = { dids = [] }
}

override_data {
  target = data.mor_dids.audited["7"]
  values = { dids = [] }
}

override_data {
  target = data.mor_device_clis.audited["5"]
  values = { clis = [] }
}

override_data {
  target = data.mor_device_clis.audited["7"]
  values = { clis = [] }
}

run "every_readable_user" {
  command = plan

  expect_failures = [check.device_open_to_any_address]

  assert {
    condition     = jsonencode(output.audited_user_ids) == jsonencode([5, 7])
    error_message = "Expected the admin's customers 5 and 7 (blocked included) to be audited, not the reseller 3 or the reseller's customer 6; got ${jsonencode(output.audited_user_ids)}."
  }
  assert {
    condition     = jsonencode([for u in output.unaudited_users : [u.id, u.username, u.owner_id]]) == jsonencode([[6, "user2", 3], [8, "user4", null]])
    error_message = "Expected unaudited_users to hold the reseller's customer 6 and user 8, whose owner MOR did not send; got ${jsonencode(output.unaudited_users)}."
  }
  assert {
    condition     = strcontains(output.unaudited_users[0].why, "provider alias configured with that reseller's API user")
    error_message = "unaudited_users' why must say how to audit the user: ${output.unaudited_users[0].why}"
  }
  assert {
    condition     = strcontains(output.unaudited_users[1].why, "MOR sent no owner_id")
    error_message = "unaudited_users' why must say MOR sent no owner: ${output.unaudited_users[1].why}"
  }
  assert {
    condition     = jsonencode([for f in output.findings : f.name]) == jsonencode(["SIP/1101"])
    error_message = "Expected the one finding of user 5's device; got ${jsonencode(output.findings)}."
  }
  assert {
    condition     = jsonencode([for u in output.skipped_users : [u.id, u.usertype]]) == jsonencode([[3, "reseller"]])
    error_message = "Expected the reseller 3, in the admin's scope but not a customer, in skipped_users; got ${jsonencode(output.skipped_users)}."
  }
}

# As a reseller's API user: users_get lists its customers, whose owner (the
# reseller) is not listed, so the module finds the scope without
# scope_owner_id.
run "reseller_api_user_scope_found" {
  command = plan

  override_data {
    target = data.mor_users.all[0]
    values = {
      users = [
        { id = 6, username = "user2", first_name = null, last_name = null, usertype = "user", owner_id = 3, blocked = false, hidden = false, lcr_id = null, tariff_id = null, balance = null },
        { id = 9, username = "user5", first_name = null, last_name = null, usertype = "user", owner_id = 3, blocked = false, hidden = false, lcr_id = null, tariff_id = null, balance = null },
      ]
    }
  }

  assert {
    condition     = jsonencode(output.audited_user_ids) == jsonencode([6, 9]) && length(output.unaudited_users) == 0 && length(output.skipped_users) == 0
    error_message = "As reseller 3, expected its customers 6 and 9 audited and nobody reported; got ${jsonencode(output.audited_user_ids)}, ${jsonencode(output.unaudited_users)} and ${jsonencode(output.skipped_users)}."
  }
}

run "reseller_scope" {
  command = plan

  variables {
    scope_owner_id = 3
  }

  assert {
    condition     = jsonencode(output.audited_user_ids) == jsonencode([6]) && jsonencode([for u in output.unaudited_users : u.id]) == jsonencode([3, 5, 7, 8])
    error_message = "With scope_owner_id 3, expected user 6 audited and 3, 5, 7, 8 reported; got ${jsonencode(output.audited_user_ids)} and ${jsonencode(output.unaudited_users)}."
  }
}

run "user_ids_narrow" {
  command = plan

  variables {
    user_ids = [7]
  }

  assert {
    condition     = jsonencode(output.audited_user_ids) == jsonencode([7]) && length(output.unaudited_users) == 0
    error_message = "With user_ids, expected only user 7 audited, mor_users not read, and no unaudited_users."
  }
}
