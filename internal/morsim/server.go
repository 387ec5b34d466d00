// Package morsim simulates the MOR billing API as shared/mor-api.md describes
// it: the four methods this provider reads and the device_list alias, per-role
// scopes, the server-side hash rules, every documented error in its own shape,
// MOR's body quirks, and fault injection with request counters for tests.
package morsim

import (
	"bytes"
	"compress/gzip"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Options are the MOR settings and release differences the simulator can
// take on. The zero value is a current release with default settings.
type Options struct {
	// NoHashCheck switches the hash check off: any hash passes.
	NoHashCheck bool
	// APIDisabled answers every call with "API Requests are disabled".
	APIDisabled bool
	// AllowGET accepts GET requests ("Allow GET API"); without it a GET
	// is answered with "GET Requests are disabled".
	AllowGET bool
	// Legacy is a release older than X4: devices_get is unknown
	// ("There is no such API"), only device_list answers.
	Legacy bool
	// Pre2019 leaves the id and *_id columns out of device details and
	// ignores device_u, as releases before 2019 did.
	Pre2019 bool
	// GzipDevices gzips devices_get answers, as its page documents.
	GzipDevices bool
	// XMLContentType is "XML API Extension": text/xml instead of text/html.
	XMLContentType bool
	// BadLoginStatus makes device_clis_get answer an unknown user with
	// <page><status><status>Bad login</status></status></page>.
	BadLoginStatus bool
	// Latency delays every answer, before any injected fault.
	Latency time.Duration
}

// API method names.
const (
	MethodDevices       = "devices_get"
	MethodDeviceList    = "device_list"
	MethodDeviceDetails = "device_details_get"
	MethodDIDs          = "dids_get"
	MethodCLIs          = "device_clis_get"
)

// Server is the simulated MOR. It is an http.Handler answering
// <any prefix>/api/<method>, plus /_sim/stats with its counters as JSON.
type Server struct {
	mu   sync.RWMutex
	opts Options
	key  string

	users         map[string]*User
	usersByID     map[int64]*User
	devices       map[int64]*Device
	devicesByName map[string]*Device
	devicesByUser map[int64][]*Device // by username, as text: "1010" before "999"
	dids          []*DID              // by number, as MOR sorts
	clis          []*CLI              // newest first, so clients must sort
	faultMu       sync.Mutex
	faults        map[string]*Fault
	rng           *rand.Rand
	counts        sync.Map // method -> *atomic.Int64
	total         atomic.Int64
	inFlight      atomic.Int64
	maxInFlight   atomic.Int64
	abandoned     atomic.Int64
}

// New builds a simulator over data.
func New(data *Dataset, opts Options) *Server {
	s := &Server{
		opts:          opts,
		key:           data.APIKey,
		users:         map[string]*User{},
		usersByID:     map[int64]*User{},
		devices:       map[int64]*Device{},
		devicesByName: map[string]*Device{},
		devicesByUser: map[int64][]*Device{},
		faults:        map[string]*Fault{},
		rng:           rand.New(rand.NewPCG(1, 2)), //nolint:gosec // fault sampling needs repeatability, not secrecy
	}
	for i := range data.Users {
		u := &data.Users[i]
		s.users[u.Username] = u
		s.usersByID[u.ID] = u
	}
	for i := range data.Devices {
		d := &data.Devices[i]
		s.devices[d.ID] = d
		s.devicesByName[d.Field("username")] = d
		s.devicesByUser[d.UserID] = append(s.devicesByUser[d.UserID], d)
	}
	for _, list := range s.devicesByUser {
		sort.Slice(list, func(i, j int) bool { return list[i].ID > list[j].ID })
	}
	for i := range data.DIDs {
		s.dids = append(s.dids, &data.DIDs[i])
	}
	sort.SliceStable(s.dids, func(i, j int) bool { return s.dids[i].Number < s.dids[j].Number })
	for i := range data.CLIs {
		s.clis = append(s.clis, &data.CLIs[i])
	}
	sort.SliceStable(s.clis, func(i, j int) bool { return s.clis[i].ID > s.clis[j].ID })
	return s
}

// SetOptions changes the settings of a running simulator.
func (s *Server) SetOptions(change func(*Options)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	change(&s.opts)
}

// SetAPIKey changes the system's API secret key.
func (s *Server) SetAPIKey(key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.key = key
}

// APIKey returns the system's API secret key.
func (s *Server) APIKey() string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.key
}

func (s *Server) options() Options {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.opts
}

// OwnerOf returns the id of the admin (0) or reseller owning a user, or -1
// for an unknown user.
func (s *Server) OwnerOf(userID int64) int64 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if u := s.usersByID[userID]; u != nil {
		return u.OwnerID
	}
	return -1
}

// Stats are the simulator's counters.
type Stats struct {
	Requests    int64            `json:"requests"`
	ByMethod    map[string]int64 `json:"by_method"`
	InFlight    int64            `json:"in_flight"`
	MaxInFlight int64            `json:"max_in_flight"`
	// Abandoned counts answers the client hung up on while the simulator
	// was still delaying them (latency or a slow body): proof that a
	// client timed out instead of waiting a fault out.
	Abandoned int64 `json:"abandoned"`
}

// Stats returns the counters since the start or the last ResetStats.
func (s *Server) Stats() Stats {
	st := Stats{Requests: s.total.Load(), ByMethod: map[string]int64{}, InFlight: s.inFlight.Load(), MaxInFlight: s.maxInFlight.Load(), Abandoned: s.abandoned.Load()}
	s.counts.Range(func(k, v any) bool {
		st.ByMethod[k.(string)] = v.(*atomic.Int64).Load()
		return true
	})
	return st
}

// ResetStats zeroes the counters.
func (s *Server) ResetStats() {
	s.total.Store(0)
	s.maxInFlight.Store(s.inFlight.Load())
	s.abandoned.Store(0)
	s.counts.Range(func(k, _ any) bool {
		s.counts.Delete(k)
		return true
	})
}

func (s *Server) count(method string) {
	s.total.Add(1)
	v, _ := s.counts.LoadOrStore(method, new(atomic.Int64))
	v.(*atomic.Int64).Add(1)
	n := s.inFlight.Add(1)
	for {
		m := s.maxInFlight.Load()
		if n <= m || s.maxInFlight.CompareAndSwap(m, n) {
			return
		}
	}
}

// wait pauses for d; it reports false, counting the request as abandoned,
// when the client hangs up first.
func (s *Server) wait(r *http.Request, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		s.abandoned.Add(1)
		return false
	}
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/_sim/stats" {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(s.Stats())
		return
	}
	i := strings.LastIndex(r.URL.Path, "/api/")
	if i < 0 {
		http.NotFound(w, r)
		return
	}
	method := r.URL.Path[i+len("/api/"):]
	s.count(method)
	defer s.inFlight.Add(-1)

	// Read the form first: net/http notices a client hanging up only once
	// the request body is consumed, and a slow fault must see that.
	formErr := r.ParseForm()
	if !s.wait(r, s.options().Latency) {
		return
	}
	fault := s.takeFault(method)
	if fault != nil && fault.before(w, r, s.wait) {
		return
	}
	opts := s.options()
	body := s.answer(r, method, opts, formErr)
	if method == MethodDevices || method == MethodDeviceList {
		if opts.GzipDevices && bytes.HasPrefix(body, []byte(xmlHeader+"<page>\n  <devices>")) {
			body = gzipBytes(body)
		}
	}
	if opts.XMLContentType {
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="mor_api_response.xml"`)
	} else {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="mor_api_response.html"`)
	}
	if fault != nil {
		fault.write(w, r, body, s.wait)
		return
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	_, _ = w.Write(body)
}

// answer runs the checks MOR makes before any method, then the method.
func (s *Server) answer(r *http.Request, method string, opts Options, formErr error) []byte {
	if opts.APIDisabled {
		return preMethodError("API Requests are disabled")
	}
	if r.Method == http.MethodGet && !opts.AllowGET {
		return preMethodError("GET Requests are disabled")
	}
	if formErr != nil {
		return preMethodError("Incorrect hash")
	}
	form := r.Form
	switch method {
	case MethodDevices:
		if opts.Legacy {
			return preMethodError("There is no such API")
		}
	case MethodDeviceList, MethodDeviceDetails, MethodDIDs, MethodCLIs:
	default:
		return preMethodError("There is no such API")
	}
	key := s.APIKey()
	if key == "" {
		return preMethodError("API must have Secret Key")
	}
	if !opts.NoHashCheck && form.Get("hash") != expectedHash(method, form, key) {
		return preMethodError("Incorrect hash")
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	switch method {
	case MethodDevices, MethodDeviceList:
		return s.devicesGet(form.Get("u"), form.Get("user_id"), opts)
	case MethodDeviceDetails:
		return s.deviceDetailsGet(form.Get("u"), form.Get("device_id"), form.Get("device_u"), opts)
	case MethodDIDs:
		return s.didsGet(form.Get("u"), form)
	default:
		return s.deviceCLIsGet(form.Get("u"), form.Get("devices_id"), form.Get("users_id"), opts)
	}
}

// expectedHash is the server's side of the hash rule: SHA-1 of the method's
// hashed parameters (as the server reads them) followed by the key.
func expectedHash(method string, form map[string][]string, key string) string {
	get := func(k string) string {
		if v := form[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	var input string
	switch method {
	case MethodDevices, MethodDeviceList:
		// The server reads user_id as an integer.
		input = get("user_id")
		if n, err := strconv.ParseInt(input, 10, 64); err == nil {
			input = strconv.FormatInt(n, 10)
		}
	case MethodDeviceDetails:
		input = get("device_id")
	}
	return HashOf(input + key)
}

// HashOf is lowercase hex SHA-1, MOR's hash function.
func HashOf(s string) string {
	sum := sha1.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

// inScope says whether api may see target's records: the admin and its
// accountants see the admin's users, a reseller its own.
func inScope(api, target *User) bool {
	switch api.Role {
	case RoleAdmin, RoleAccountant:
		return target.OwnerID == 0
	case RoleReseller:
		return target.OwnerID == api.ID || target.ID == api.ID
	}
	return false
}

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
		// MOR's quirk: for the admin, search_status=reserved also matches
		// every DID assigned to a reseller, whatever the other filters say.
		if api.Role == RoleAdmin && status == "reserved" && d.ResellerID != 0 {
			out = append(out, d)
			continue
		}
		// And for the admin, a free or active search adds reseller_id = 0:
		// DIDs assigned to a reseller show only in a search without status.
		if api.Role == RoleAdmin && (status == "free" || status == "active") && d.ResellerID != 0 {
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
		if !idFilter("search_dialplan", d.DialplanID) || !idFilter("search_user", d.UserID) ||
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

func gzipBytes(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, _ = zw.Write(b)
	_ = zw.Close()
	return buf.Bytes()
}
