# The audit rules. Each yields findings: which MOR object, and a sentence
# saying what is wrong, why it matters and what to do.

locals {
  rules = {
    device_acl_unreadable         = { severity = "high", summary = "device(s) have permit or deny entries the audit cannot read, and may accept calls from any address" }
    device_open_to_any_address    = { severity = "high", summary = "device(s) accept calls from any address" }
    device_open_outside_deny      = { severity = "high", summary = "device(s) accept calls from the addresses neither their deny nor their permit names" }
    device_permit_too_wide        = { severity = "medium", summary = "device(s) accept calls from networks wider than /${var.min_permit_prefix_length}" }
    device_without_call_limit     = { severity = "medium", summary = "device(s) have no call limit" }
    did_active_unrouted           = { severity = "medium", summary = "active DID(s) are routed to no device and no dial plan" }
    did_routed_to_unlisted_device = { severity = "high", summary = "DID(s) are routed to a device MOR does not list among their owner's devices" }
    cli_shared_by_devices         = { severity = "medium", summary = "CLI record(s) hold a caller ID assigned to more than ${var.max_devices_per_cli} device(s)" }
    cli_banned_still_assigned     = { severity = "low", summary = "banned CLI(s) are still assigned to a device" }
  }

  listed_device_by_id = { for d in local.listed_devices : tostring(d.device_id) => d }
  # "SIP/1251": technology and Asterisk peer name, as a DID or a CLI names a
  # device. The name is in the device's full record alone; it is not always
  # the username (an IP-authenticated device's is "ipauth…", and device_list
  # before X4 sends no username).
  device_names = {
    for id, d in data.mor_device.audited : id => d.name == null ? "device ${id}" : format("%s/%s",
      coalesce(d.device_type, local.listed_device_by_id[id].device_type, "?"), d.name,
    )
  }
  # Each audited user's devices as "TECHNOLOGY/name", technology in upper
  # case, to compare with what a DID routes to.
  user_device_refs = {
    for user_id, list in data.mor_devices.audited : user_id => [
      for d in list.devices : format("%s/%s",
        upper(coalesce(data.mor_device.audited[tostring(d.device_id)].device_type, d.device_type, "?")),
        data.mor_device.audited[tostring(d.device_id)].name,
      ) if data.mor_device.audited[tostring(d.device_id)].name != null
    ]
  }
  # Each device's permit and deny as networks (CIDR), each with whether the
  # provider's functions can read it: an entry they cannot (a host name,
  # Asterisk's "!" exception or "," list) is reported, and only the rules
  # that do not need that text judge the device, rather than the whole plan
  # failing. Null (empty) text holds no network; it is not passed to the
  # functions, as OpenTofu passes none a null (a conditional's other branch
  # is evaluated, but its error dropped).
  acls = {
    for id, d in data.mor_device.audited : id => {
      permit_readable = d.permit == null || can(provider::mor::parse_acl(d.permit))
      deny_readable   = d.deny == null || can(provider::mor::parse_acl(d.deny))
      permit          = d.permit == null || !can(provider::mor::parse_acl(d.permit)) ? [] : provider::mor::parse_acl(d.permit)
      deny            = d.deny == null || !can(provider::mor::parse_acl(d.deny)) ? [] : provider::mor::parse_acl(d.deny)
      # "permit entry \"pbx.example.com\"", once each, quoted as it is, but
      # with every character other than printable ASCII shown as "�" (a
      # no-break space, a line break, each combining mark) and cut short.
      # Entries are read one by one only in a list that is unreadable.
      unreadable = distinct(flatten([
        for field, text in { permit = d.permit, deny = d.deny } : [
          for shown in [for entry in split(";", text) : replace(entry, "/[^ -~]/", "\uFFFD") if !can(provider::mor::parse_acl(entry))] :
          format("%s entry %q", field, length(shown) > 60 ? "${substr(shown, 0, 60)}…" : shown)
        ] if text != null && !can(provider::mor::parse_acl(text))
      ]))
    }
  }
  # Whether a device's permit, read, covers every address of a family, and
  # every IPv4 address. Permit comes after deny, so this holds whatever deny
  # says.
  permits_any      = { for id, a in local.acls : id => provider::mor::acl_allows_any(join(";", a.permit)) }
  permits_any_ipv4 = { for id, a in local.acls : id => provider::mor::acl_allows_any(join(";", [for cidr in a.permit : cidr if !strcontains(cidr, ":")])) }
  # Whether deny and permit together name every IPv4 address, for devices
  # with either, both read: Asterisk accepts the addresses no rule names, so
  # permit restricts only what deny shuts out. IPv6 rules match no IPv4
  # address.
  names_every_ipv4 = {
    for id, a in local.acls : id => provider::mor::acl_allows_any(join(";", [
      for cidr in concat(a.deny, a.permit) : cidr if !strcontains(cidr, ":")
    ])) if length(a.permit) + length(a.deny) > 0 && a.permit_readable && a.deny_readable
  }
  # Device id => the IPv4 networks of its permit wider than the threshold,
  # for devices not already open to every IPv4 address; what deny says does
  # not matter, as permit comes after it.
  wide_permits = {
    for id, a in local.acls : id => [
      for cidr in a.permit : cidr
      if !strcontains(cidr, ":") && tonumber(split("/", cidr)[1]) < var.min_permit_prefix_length
    ] if !local.permits_any_ipv4[id]
  }
  # CLI number => the devices it is assigned to.
  cli_devices = { for c in local.clis : c.cli => c.device... if c.cli != null }

  findings_by_rule = {
    device_acl_unreadable = [
      for id, d in data.mor_device.audited : {
        rule = "device_acl_unreadable", severity = local.rules.device_acl_unreadable.severity
        kind = "device", id = d.device_id, name = local.device_names[id]
        message = format("Device %s of user %d has %s, which the audit cannot read as an address with an optional netmask, so it cannot tell every address Asterisk accepts calls from: the device may accept calls from any address. Write each entry as an address with an optional netmask (10.1.2.0/255.255.255.0), entries joined by \";\", without \"!\" exceptions or \",\" lists, which the audit does not read. Until then, %s",
          local.device_names[id], local.listed_device_by_id[id].user_id, join(", ", local.acls[id].unreadable),
          local.acls[id].permit_readable ? "the other rules judge its permit alone." : "no other address rule judges it.",
        )
      } if length(local.acls[id].unreadable) > 0
    ]
    device_open_to_any_address = [
      for id, d in data.mor_device.audited : {
        rule = "device_open_to_any_address", severity = local.rules.device_open_to_any_address.severity
        kind = "device", id = d.device_id, name = local.device_names[id]
        message = format("Device %s of user %d accepts calls from any %s: anyone who learns its password can place calls through it from anywhere, billed to the customer. Set permit to the addresses of the customer's phones or PBX.",
          local.device_names[id], local.listed_device_by_id[id].user_id,
          format(local.permits_any_ipv4[id] ? "address (permit %s)" : "IPv6 address (permit %s), if its Asterisk listens on IPv6", d.permit),
        )
      } if local.permits_any[id]
    ]
    # A device whose deny leaves IPv4 addresses that permit does not name:
    # Asterisk accepts them. A device with neither is not judged, as a
    # release may not send the two columns.
    device_open_outside_deny = [
      for id, d in data.mor_device.audited : {
        rule = "device_open_outside_deny", severity = local.rules.device_open_outside_deny.severity
        kind = "device", id = d.device_id, name = local.device_names[id]
        message = format("Device %s of user %d denies %s and permits %s, so Asterisk, which accepts the addresses no deny or permit rule names, accepts calls from every IPv4 address%s, whatever permit says. %s",
          local.device_names[id], local.listed_device_by_id[id].user_id, length(local.acls[id].deny) == 0 ? "nothing (deny is empty)" : d.deny, length(local.acls[id].permit) == 0 ? "nothing (permit is empty)" : d.permit,
          length(local.acls[id].deny) == 0 ? "" : " outside both",
          length(local.acls[id].permit) == 0 ? "Set permit to the addresses of the customer's phones or PBX, and deny to 0.0.0.0/0.0.0.0, MOR's default." : "Set deny to 0.0.0.0/0.0.0.0, MOR's default, so that permit alone says who may call.",
        )
      } if !local.permits_any_ipv4[id] && !lookup(local.names_every_ipv4, id, true)
    ]
    device_permit_too_wide = [
      for id, wide in local.wide_permits : {
        rule = "device_permit_too_wide", severity = local.rules.device_permit_too_wide.severity
        kind = "device", id = data.mor_device.audited[id].device_id, name = local.device_names[id]
        message = format("Device %s of user %d accepts calls from %s, wider than /%d: every host in those networks can try its password. Narrow permit to the addresses of the customer's phones or PBX.",
        local.device_names[id], local.listed_device_by_id[id].user_id, join(", ", wide), var.min_permit_prefix_length)
      } if length(wide) > 0
    ]
    device_without_call_limit = [
      for id, d in data.mor_device.audited : {
        rule = "device_without_call_limit", severity = local.rules.device_without_call_limit.severity
        kind = "device", id = d.device_id, name = local.device_names[id]
        message = format("Device %s of user %d has no call limit (call_limit 0): a hijacked or looping device can hold as many simultaneous calls as the trunks carry, multiplying the cost of an incident. Set a call limit that fits the customer.",
        local.device_names[id], local.listed_device_by_id[id].user_id)
      } if d.call_limit == 0
    ]
    did_active_unrouted = [
      for d in local.dids : {
        rule    = "did_active_unrouted", severity = local.rules.did_active_unrouted.severity
        kind    = "did", id = d.id, name = d.did
        message = format("DID %s is active but routed to no device and no dial plan: calls to the number go unanswered while it is still paid for. Route it to a device or a dial plan, or close it.", d.did)
      } if lower(d.status != null ? d.status : "") == "active" && d.device == null && d.dial_plan == null
    ]
    did_routed_to_unlisted_device = flatten([
      for user_id, list in data.mor_dids.audited : [
        for d in list.dids : {
          rule = "did_routed_to_unlisted_device", severity = local.rules.did_routed_to_unlisted_device.severity
          kind = "did", id = d.id, name = d.did
          message = format("DID %s of user %s is routed to %s, which MOR does not list among user %s's devices: the device was deleted or belongs to someone else, so calls to the number fail or ring another customer. Route the DID to one of the user's devices.",
          d.did, user_id, d.device, user_id)
        }
        if d.device == null ? false : !contains(local.user_device_refs[user_id], format("%s/%s",
          upper(provider::mor::parse_device_ref(d.device).protocol), provider::mor::parse_device_ref(d.device).name,
        ))
      ]
    ])
    cli_shared_by_devices = [
      for c in local.clis : {
        rule = "cli_shared_by_devices", severity = local.rules.cli_shared_by_devices.severity
        kind = "cli", id = c.id, name = c.cli
        message = format("CLI %s (on %s) is assigned to %d devices (%s): MOR recognises callers by CLI (ANI authentication, callback, calling cards), so calls from this number can be authorised and billed as the wrong device. Keep each CLI on one device.",
        c.cli, c.device, length(distinct(compact(local.cli_devices[c.cli]))), join(", ", sort(distinct(compact(local.cli_devices[c.cli])))))
      } if c.cli == null || c.device == null ? false : length(distinct(compact(local.cli_devices[c.cli]))) > var.max_devices_per_cli
    ]
    cli_banned_still_assigned = [
      for c in local.clis : {
        rule = "cli_banned_still_assigned", severity = local.rules.cli_banned_still_assigned.severity
        kind = "cli", id = c.id, name = c.cli
        message = format("CLI %s is banned but still assigned to %s: MOR refuses calls presenting it, so the customer's calls with this caller ID fail, and a number banned for abuse stays tied to the account. Remove it from the device, or lift the ban.",
        c.cli, c.device)
      } if c.banned == true && c.device != null
    ]
  }
}
