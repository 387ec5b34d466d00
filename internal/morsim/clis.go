package morsim

import (
	"strconv"
)

func (s *Server) deviceCLIsGet(u, devicesID, usersID string, opts Options) []byte {
	api := s.users[u]
	switch {
	case api == nil && opts.BadLoginStatus:
		return []byte(xmlHeader + "<page>\n  <status>\n    <status>Bad login</status>\n  </status>\n</page>\n")
	case api == nil:
		return pageError("Access Denied")
	case api.Role == RoleUser,
		api.Role == RoleAccountant && !api.can(PermCLIs),
		api.Role == RoleReseller && !api.can(PermCLIs):
		return pageError("You are not authorized to use this functionality")
	}
	var wantDevice *Device
	if devicesID != "" {
		id, err := strconv.ParseInt(devicesID, 10, 64)
		if err == nil {
			wantDevice = s.devices[id]
		}
		if wantDevice == nil || !s.deviceInCLIScope(api, wantDevice) {
			return pageError("Device was not found")
		}
	}
	var wantUser *User
	if usersID != "" {
		id, err := strconv.ParseInt(usersID, 10, 64)
		if err == nil {
			wantUser = s.usersByID[id]
		}
		if wantUser == nil || (api.Role != RoleAdmin && !inScope(api, wantUser)) {
			return pageError("User was not found")
		}
	}
	var x xmlWriter
	x.open(0, "page")
	x.open(1, "status")
	found := 0
	for _, c := range s.clis {
		dev := s.devices[c.DeviceID]
		if dev == nil || !s.deviceInCLIScope(api, dev) ||
			(wantDevice != nil && dev.ID != wantDevice.ID) || (wantUser != nil && dev.UserID != wantUser.ID) {
			continue
		}
		found++
		x.leaf(2, "cli_id", strconv.FormatInt(c.ID, 10))
		x.leaf(2, "cli_cli", c.CLI)
		if c.Domain != "" {
			x.leaf(2, "cli_domain", c.Domain)
		}
		x.leaf(2, "cli_device", dev.Field("device_type")+"/"+dev.Field("name"))
		x.leaf(2, "cli_description", c.Description)
		x.leaf(2, "cli_added_at", c.AddedAt)
		x.leaf(2, "cli_updated_at", c.UpdatedAt)
		if c.IVR != "" {
			x.leaf(2, "cli_ivr", c.IVR)
		}
		x.leaf(2, "cli_comment", c.Comment)
		x.leaf(2, "cli_email_callback", boolDigit(c.EmailCallback))
		x.leaf(2, "cli_banned", boolDigit(c.Banned))
	}
	if found == 0 {
		return []byte(xmlHeader + "<page>\n  <status>\n    <error>CLIs were not found</error>\n  </status>\n</page>\n")
	}
	x.close(1, "status")
	x.close(0, "page")
	return x.bytes()
}

// deviceInCLIScope: the admin sees every CLI, a reseller its users', an
// accountant the admin's users'.
func (s *Server) deviceInCLIScope(api *User, d *Device) bool {
	if api.Role == RoleAdmin {
		return true
	}
	owner := s.usersByID[d.UserID]
	return owner != nil && inScope(api, owner)
}

func boolDigit(b bool) string {
	if b {
		return "1"
	}
	return "0"
}
