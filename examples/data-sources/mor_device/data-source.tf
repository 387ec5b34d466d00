# One device by id...
data "mor_device" "pbx" {
  device_id = 105
}

# ...or by its SIP username (MOR 2019 or later).
data "mor_device" "trunk" {
  device_username = "trunk-1"
}

# Hand an SBC module the SIP credentials; they stay sensitive.
output "pbx_sip_credentials" {
  value = {
    username = data.mor_device.pbx.username
    password = data.mor_device.pbx.secret
    endpoint = "${data.mor_device.pbx.ipaddr}:${data.mor_device.pbx.port}"
    codecs   = data.mor_device.pbx.audio_codecs
  }
  sensitive = true
}

# Columns without a typed attribute are in attributes, named as in MOR.
output "pbx_qualify" {
  value = data.mor_device.pbx.attributes["qualify"]
}
