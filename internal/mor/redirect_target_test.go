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

// A Location hiding the request's hash in its percent-encoding, however
// malformed or split by an invisible character, shows it redacted.
func TestRedirectLocationHidesTheHash(t *testing.T) {
	t.Parallel()
	const hash = testHash
	c, err := New(Config{BaseURL: "https://mor.example.com/billing", Username: "admin", SecretKey: "redirect-test-key"})
	if err != nil {
		t.Fatal(err)
	}
	for location, want := range map[string]string{
		"x:" + testHashPercentAll:                                        "x:[redacted]",
		"x:" + testHashPercentAll + "%zz":                                "x:[redacted]%zz",
		"x:" + testHashPercentAll + "%":                                  "x:[redacted]%",
		"https://h.example/login/" + hash[:20] + "%E2%80%8B" + hash[20:]: "https://h.example/login/[redacted]",
		"https://h.example/login/" + hash[:20] + "%C2%AD" + hash[20:]:    "https://h.example/login/[redacted]",
		"https://mor.example.com/billing/callc/login?u=admin":            "https://mor.example.com/billing/callc/login",
		"https://mor.example.com/a%20b/":                                 "https://mor.example.com/a%20b/",
		// No secret: shown as sent, whatever decoding would make of it.
		"https://mor.example.com/factura%E9/api/dids_get": "https://mor.example.com/factura%E9/api/dids_get",
		"https://mor.example.com/my%20%20mor/":            "https://mor.example.com/my%20%20mor/",
		"https://mor.example.com/mor%09/":                 "https://mor.example.com/mor%09/",
	} {
		reqURL, _ := url.Parse(c.apiBase + methodDIDs)
		resp := &http.Response{StatusCode: http.StatusFound, Header: http.Header{"Location": {location}}, Request: &http.Request{URL: reqURL}}
		e := c.redirectError(methodDIDs, resp, 1, hash)
		if e == nil || e.Location != want {
			t.Errorf("%s: %+v, want the Location shown as %q", location, e, want)
		}
	}
}
