package morsim

import (
	"sort"
	"strconv"
	"strings"
)

func (s *Server) deviceDetailsGet(u, deviceID, deviceU string, opts Options) []byte {
	api := s.users[u]
	switch {
	case api == nil:
		return bareError("Access Denied")
	case api.Role == RoleUser, api.Role == RoleAccountant && !api.can(PermDevices):
		return bareError("You are not authorized to view this page")
	}
	var d *Device
	if deviceID != "" {
		if id, err := strconv.ParseInt(deviceID, 10, 64); err == nil {
			d = s.devices[id]
		}
	} else if deviceU != "" && !opts.Pre2019 {
		d = s.devicesByName[deviceU]
	}
	if d == nil || s.usersByID[d.UserID] == nil || !inScope(api, s.usersByID[d.UserID]) {
		return bareError("Device was not found")
	}
	var x xmlWriter
	x.open(0, "page")
	if !opts.Pre2019 {
		x.quirkyLeaf("id", strconv.FormatInt(d.ID, 10), 0)
		x.quirkyLeaf("user_id", strconv.FormatInt(d.UserID, 10), 1)
		x.quirkyLeaf("primary_did_id", "0", 2)
		x.quirkyLeaf("devicegroup_id", strconv.FormatInt(d.DevicegroupID, 10), 0)
	}
	for n, col := range detailColumns {
		x.quirkyLeaf(col, d.Field(col), n)
	}
	// Columns of newer releases that the sample record lacks.
	var extra []string
	for col := range d.Fields {
		if _, known := detailDefaults[col]; !known {
			extra = append(extra, col)
		}
	}
	sort.Strings(extra)
	for n, col := range extra {
		x.quirkyLeaf(col, d.Fields[col], n)
	}
	x.open(1, "codecs")
	x.leaf(2, "audio_codecs", strings.Join(d.AudioCodecs, ", "))
	x.leaf(2, "video_codecs", strings.Join(d.VideoCodecs, ", "))
	x.close(1, "codecs")
	x.close(0, "page")
	return x.bytes()
}
