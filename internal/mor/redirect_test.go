package mor_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/mor-terraform/terraform-provider-mor/internal/mor"
	"github.com/mor-terraform/terraform-provider-mor/internal/morsim"
)

// In GET mode the request's query holds the hash, and a redirect that keeps
// the request URI (nginx's $request_uri) repeats it: neither the error nor
// the log may show it, nor credentials in the Location. A redirect is not
// retried.
func TestRedirectHidesTheLocationQueryAndIsNotRetried(t *testing.T) {
	f := newFixture(t, smallSizes, morsim.Options{})
	var requests atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		http.Redirect(w, r, "https://someone:proxy-pw@mor.example.com"+r.URL.RequestURI(), http.StatusMovedPermanently)
	}))
	t.Cleanup(srv.Close)
	c := f.client(t, "admin", func(c *mor.Config) { c.BaseURL = srv.URL + "/billing"; c.HTTPMethod = http.MethodGet })
	_, err := c.DIDs(context.Background(), mor.DIDFilter{})
	var re *mor.RedirectError
	if !errors.As(err, &re) {
		t.Fatalf("got %v, want a *mor.RedirectError", err)
	}
	want := mor.RedirectError{Method: "dids_get", StatusCode: 301, Location: "https://mor.example.com/billing/api/dids_get", QueryOmitted: true,
		Target: mor.RedirectOtherHost, SuggestedBaseURL: "https://mor.example.com/billing", Attempts: 1}
	if *re != want {
		t.Errorf("got %+v, want %+v", *re, want)
	}
	if msg := err.Error(); strings.Contains(msg, "hash") || strings.Contains(msg, "someone") || !strings.Contains(msg, "HTTP 301 Moved Permanently, to https://mor.example.com/billing/api/dids_get (its query not shown)") {
		t.Errorf("error %q", msg)
	}
	if n := requests.Load(); n != 1 {
		t.Errorf("%d requests, want 1: a redirect is not retried", n)
	}
	f.logs.add(err.Error())
	f.logs.assertNoSecrets(t, f.data, "proxy-pw", "someone")
}
