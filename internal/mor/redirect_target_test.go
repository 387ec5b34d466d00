package mor

import (
	"net/http"
	"net/url"
	"testing"
)

func TestRedirectTargets(t *testing.T) {
	for _, tc := range []struct {
		base, location string
		target         RedirectTarget
		suggested      string
	}{
		{"http://MOR.example.com/billing", "https://mor.example.com/billing/api/dids_get", RedirectToHTTPS, "https://mor.example.com/billing"},
		{"http://mor.example.com/billing", "https://mor.example.com:8443/billing/api/dids_get", RedirectToHTTPS, "https://mor.example.com:8443/billing"},
		{"http://mor.example.com/billing", "https://mor.example.com/", RedirectSameHost, ""},
		{"https://mor.example.com/billing", "/mor/api/dids_get", RedirectSameHost, "https://mor.example.com/mor"},
		{"https://mor.example.com/billing", "/billing/callc/login", RedirectSameHost, ""},
		{"http://[::1]:8080/billing", "https://[::1]:8443/billing/api/dids_get", RedirectToHTTPS, "https://[::1]:8443/billing"},
		{"https://mor.example.com", "https://mor2.example.com/billing/api/dids_get", RedirectOtherHost, "https://mor2.example.com/billing"},
	} {
		c, err := New(Config{BaseURL: tc.base, Username: "admin", SecretKey: "k"})
		if err != nil {
			t.Fatal(err)
		}
		reqURL, _ := url.Parse(c.apiBase + methodDIDs)
		resp := &http.Response{StatusCode: http.StatusFound, Header: http.Header{"Location": {tc.location}}, Request: &http.Request{URL: reqURL}}
		e := c.redirectError(methodDIDs, resp, 1, "")
		if e == nil || e.Target != tc.target || e.SuggestedBaseURL != tc.suggested {
			t.Errorf("%s -> %s: %+v, want target %d, suggested %q", tc.base, tc.location, e, tc.target, tc.suggested)
		}
	}
}
