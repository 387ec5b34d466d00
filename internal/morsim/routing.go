package morsim

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// API method names.
const (
	MethodDevices       = "devices_get"
	MethodDeviceList    = "device_list"
	MethodDeviceDetails = "device_details_get"
	MethodDIDs          = "dids_get"
	MethodCLIs          = "device_clis_get"
	MethodUsers         = "users_get"
)

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
	// MOR's API lives at <web root>/api/<method>, the web root being one
	// path segment (/billing, or /mor on old installs): a url pointing
	// elsewhere, such as .../billing/api, finds nothing there either.
	root, method, found := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/api/")
	if !found || strings.Contains(root, "/") || strings.Contains(method, "/") {
		http.NotFound(w, r)
		return
	}
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
	case MethodDeviceList, MethodDeviceDetails, MethodDIDs, MethodCLIs, MethodUsers:
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
	case MethodUsers:
		return s.usersGet(form.Get("u"), form.Get("p"), form.Get("uniquehash"))
	default:
		return s.deviceCLIsGet(form.Get("u"), form.Get("devices_id"), form.Get("users_id"), opts)
	}
}
