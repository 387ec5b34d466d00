# The SIP credentials of the PBX trunk device, for this run only: Terraform
# keeps them in neither the plan nor the state.
ephemeral "mor_device_credentials" "pbx" {
  device_id = 105 # or device_username = "pbx-105"
}

# Hand them to an SBC module whose inputs are ephemeral variables:
#   variable "sip_password" {
#     type      = string
#     ephemeral = true
#   }
module "sbc_peer" {
  source = "./modules/sbc-peer"

  peer_name    = "mor-pbx-105"
  sip_host     = ephemeral.mor_device_credentials.pbx.ipaddr
  sip_port     = ephemeral.mor_device_credentials.pbx.port
  transport    = ephemeral.mor_device_credentials.pbx.transport
  sip_username = ephemeral.mor_device_credentials.pbx.username
  sip_password = ephemeral.mor_device_credentials.pbx.secret
}

# Or store them where the SBC fetches them, through a write-only attribute
# (Terraform 1.11 or later): Vault gets the values, the state only the version.
resource "vault_kv_secret_v2" "pbx_sip" {
  mount = "sbc"
  name  = "peers/mor-pbx-105"
  data_json_wo = jsonencode({
    username = ephemeral.mor_device_credentials.pbx.username
    password = ephemeral.mor_device_credentials.pbx.secret
  })
  # Raise it to write the credentials again, e.g. after a password change.
  data_json_wo_version = 1
}
