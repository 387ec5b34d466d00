package morsim

import (
	"bytes"
	"compress/gzip"
	"strconv"
	"strings"
)

func (s *Server) devicesGet(u, userID string, opts Options) []byte {
	api := s.users[u]
	switch {
	case api == nil:
		return pageError("Bad login")
	case api.Role == RoleUser:
		return pageError("Access Denied")
	case api.Role == RoleAccountant && !api.can(PermDevices):
		return pageError("You are not authorized to view this page")
	case strings.TrimSpace(userID) == "":
		return pageError("user_id is empty")
	}
	id, err := strconv.ParseInt(userID, 10, 64)
	target := s.usersByID[id]
	if err != nil || target == nil {
		return pageError("User not found")
	}
	if !inScope(api, target) {
		return pageError("Access Denied")
	}
	list := s.devicesByUser[id]
	if len(list) == 0 {
		return pageError("Device not found")
	}
	var x xmlWriter
	x.open(0, "page")
	x.open(1, "devices")
	for _, d := range list {
		x.open(2, "device")
		x.leaf(3, "device_id", strconv.FormatInt(d.ID, 10))
		x.leaf(3, "device_type", d.Field("device_type"))
		if !opts.Legacy {
			x.leaf(3, "devicegroup_id", strconv.FormatInt(d.DevicegroupID, 10))
			x.leaf(3, "primary_device", map[bool]string{true: "yes", false: "no"}[d.Primary])
			x.leaf(3, "username", d.Field("username"))
			x.leaf(3, "secret", d.Field("secret"))
		}
		x.leaf(3, "ipaddr", d.Field("ipaddr"))
		x.leaf(3, "port", d.Field("port"))
		if !opts.Legacy {
			// MOR wraps some values in whitespace; clients must trim.
			x.leaf(3, "callerid", " "+d.Field("callerid")+"\n    ")
		}
		x.close(2, "device")
	}
	x.close(1, "devices")
	x.close(0, "page")
	return x.bytes()
}

func gzipBytes(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, _ = zw.Write(b)
	_ = zw.Close()
	return buf.Bytes()
}
