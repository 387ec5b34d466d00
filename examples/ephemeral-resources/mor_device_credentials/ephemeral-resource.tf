# The SIP credentials of the PBX device, for this run only: Terraform keeps
# them in neither the plan nor the state (Terraform 1.10 or later).
ephemeral "mor_device_credentials" "pbx" {
  device_id = 105 # or device_username = "1105"
}

# Hand them to a module whose inputs are ephemeral variables (./sbc-peer,
# beside this file, stands for your SBC module). Every attribute of an
# ephemeral resource is ephemeral, so every input that takes one must be
# declared `ephemeral = true`, not only the password.
module "sbc_peer" {
  source = "./sbc-peer"

  sip_host     = ephemeral.mor_device_credentials.pbx.ipaddr
  sip_port     = ephemeral.mor_device_credentials.pbx.port
  transport    = ephemeral.mor_device_credentials.pbx.transport
  sip_username = ephemeral.mor_device_credentials.pbx.username
  sip_password = ephemeral.mor_device_credentials.pbx.secret
}
