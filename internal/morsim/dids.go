package morsim

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

var didStatuses = map[string]bool{"free": true, "reserved": true, "active": true, "closed": true, "terminated": true}

func (s *Server) didsGet(u string, form map[string][]string) []byte {
	get := func(k string) string {
		if v := form[k]; len(v) > 0 {
			return strings.TrimSpace(v[0])
		}
		return ""
	}
	api := s.users[u]
	switch {
	case api == nil:
		return pageError("Access Denied")
	case api.Role == RoleAccountant && !api.can(PermDIDs):
		return pageError("You are not authorized to manage DIDs")
	}
	status := strings.ToLower(get("search_status"))
	number := get("search_did_number")
	var numberRe func(string) bool
	if number != "" {
		numberRe = likeMatcher(number)
	}
	idFilter := func(param string, v int64) bool {
		want := get(param)
		return want == "" || want == strconv.FormatInt(v, 10)
	}
	owner := get("search_did_owner")
	hideTerminated := get("search_hide_terminated_dids") == "1"
	admin := api.Role == RoleAdmin || api.Role == RoleAccountant

	var out []*DID
	for _, d := range s.dids {
		switch api.Role {
		case RoleReseller:
			if d.ResellerID != api.ID {
				continue
			}
		case RoleUser:
			if d.UserID != api.ID {
				continue
			}
		}
		// MOR's quirk: for the admin and accountants, search_status=reserved
		// also matches every DID assigned to a reseller, whatever the other
		// filters say.
		if admin && status == "reserved" && d.ResellerID != 0 {
			out = append(out, d)
			continue
		}
		// And for them, a free or active search adds reseller_id = 0: DIDs
		// assigned to a reseller show only in a search without status.
		if admin && (status == "free" || status == "active") && d.ResellerID != 0 {
			continue
		}
		if status != "" && (d.Status != status || !didStatuses[status]) {
			continue
		}
		if hideTerminated && d.Status == "terminated" {
			continue
		}
		if numberRe != nil && !numberRe(d.Number) {
			continue
		}
		if owner != "" && !strings.EqualFold(s.ownerName(d), owner) {
			continue
		}
		// search_user matches user_id = X OR reseller_id = X.
		if !idFilter("search_dialplan", d.DialplanID) || (!idFilter("search_user", d.UserID) && !idFilter("search_user", d.ResellerID)) ||
			!idFilter("search_device", d.DeviceID) || !idFilter("search_provider", d.ProviderID) {
			continue
		}
		if lang := get("search_language"); lang != "" && d.Language != lang {
			continue
		}
		out = append(out, d)
	}
	// Paging, since 2023.
	if from, err := strconv.Atoi(get("from")); err == nil && from > 0 {
		out = out[min(from, len(out)):]
	}
	if n, err := strconv.Atoi(get("max_results")); err == nil && n >= 0 && n < len(out) {
		out = out[:n]
	}
	if len(out) == 0 {
		return pageError("No DIDs found")
	}
	var x xmlWriter
	x.open(0, "page")
	x.open(1, "dids")
	for _, d := range out {
		x.open(2, "did")
		x.leaf(3, "did", d.Number)
		if admin {
			x.leaf(3, "provider", d.ProviderName)
		}
		x.leaf(3, "language", d.Language)
		x.leaf(3, "status", strings.ToUpper(d.Status[:1])+d.Status[1:])
		if admin {
			reseller := ""
			if r := s.usersByID[d.ResellerID]; d.ResellerID != 0 && r != nil {
				reseller = r.Name
			}
			x.leaf(3, "reseller", reseller)
		}
		if d.Status != "free" {
			x.leaf(3, "owner", s.ownerName(d))
		}
		device := ""
		if dev := s.devices[d.DeviceID]; dev != nil {
			device = dev.Field("device_type") + "/" + dev.Field("name")
		}
		x.leaf(3, "device", device)
		if api.Role != RoleUser {
			dialPlan := ""
			if d.DialplanID != 0 {
				dialPlan = fmt.Sprintf("%s (%s)", d.DialplanName, d.DialplanType)
			}
			x.leaf(3, "dial_plan", dialPlan)
		}
		limit := "Unlimited"
		if d.CallLimit > 0 {
			limit = strconv.Itoa(d.CallLimit)
		}
		x.leaf(3, "simultaneous_call_limit", limit)
		if d.Comment != "" {
			x.leaf(3, "comment", d.Comment)
		}
		if api.Role != RoleUser {
			x.leaf(3, "tone_zone", d.ToneZone)
		}
		x.leaf(3, "id", strconv.FormatInt(d.ID, 10))
		x.close(2, "did")
	}
	x.close(1, "dids")
	x.close(0, "page")
	return x.bytes()
}

func (s *Server) ownerName(d *DID) string {
	if u := s.usersByID[d.UserID]; u != nil && d.UserID != 0 {
		return u.Name
	}
	return "System Admin"
}

// likeMatcher is SQL LIKE (% any run, _ one character) with MySQL's
// case-insensitive collation.
func likeMatcher(pattern string) func(string) bool {
	var b strings.Builder
	b.WriteString("(?is)^")
	for _, r := range pattern {
		switch r {
		case '%':
			b.WriteString(".*")
		case '_':
			b.WriteString(".")
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	b.WriteString("$")
	return regexp.MustCompile(b.String()).MatchString
}
