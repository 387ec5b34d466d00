package morsim

import (
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
