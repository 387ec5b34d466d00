# One device by id. Without include_secrets (false by default) its secrets
# (secret, md5secret, remotesecret, pin, secret_attributes) are null: none
# of them reaches the plan or the state.
data "mor_device" "pbx" {
  device_id = 105
}

# ...or by its SIP username (MOR 2019 or later).
data "mor_device" "trunk" {
  device_username = "1117"
}

# Where an SBC reaches the PBX: no credential in it. To hand an SBC the SIP
# password, use the ephemeral resource mor_device_credentials, which Terraform
# stores nowhere; include_secrets = true would write it to state.
output "pbx_endpoint" {
  value = {
    username  = data.mor_device.pbx.username
    endpoint  = "${data.mor_device.pbx.ipaddr}:${data.mor_device.pbx.port}"
    transport = data.mor_device.pbx.transport
    codecs    = data.mor_device.pbx.audio_codecs
  }
}

# Columns without a typed attribute are in attributes, named as in MOR
# (those that can hold a credential are not).
output "pbx_qualify" {
  value = data.mor_device.pbx.attributes["qualify"]
}
