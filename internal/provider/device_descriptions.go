package provider

// deviceDescriptions describe the device attributes that mor_device and
// mor_device_credentials share, so the two schemas (built with different
// schema packages) document each attribute in the same words.
var deviceDescriptions = map[string]string{ //nolint:gosec // descriptions of attributes named secret and pin, not credentials
	"device_id": "Id of the device. Exactly one of `device_id` and `device_username` must be set; when looking up by username, " +
		"this is the id MOR reports (null on releases before 2019, which do not send it).",
	"device_username": "SIP/IAX2 username of the device (MOR's `device_u`, supported since 2019). Exactly one of `device_id` and `device_username` must be set; " +
		"when looking up by `device_id`, this is filled in from the username MOR reports.",
	"user_id":      "Id of the user owning the device (null on releases before 2019; -1 for a provider's device).",
	"username":     "SIP/IAX2 username. Null when MOR sends it empty.",
	"device_type":  "Technology: `SIP`, `IAX2`, …. Null when MOR sends it empty.",
	"host":         "Host: `dynamic` or an address. Null when MOR sends it empty.",
	"ipaddr":       "IP address. Null when MOR sends it empty.",
	"port":         "Port (0 for dynamic devices).",
	"transport":    "SIP transport: `udp`, `tcp`, `tls`, or a list such as `udp,tcp`. Null when MOR sends it empty.",
	"secret":       "SIP/IAX2 password. Null when not set.",
	"md5secret":    "MD5 form of the password. Null when not set.",
	"remotesecret": "Password for the remote side of a trunk. Null when not set.",
	"pin":          "PIN for calling cards and authentication by PIN. Null when not set.",
}
