package provider

import (
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/mor-terraform/terraform-provider-mor/internal/morsim"
)

// recordedRequest is what a recordingServer saw of one request.
type recordedRequest struct {
	method, path string
	hash         bool // the request carried a hash, in its form or its URL
}

// recordingServer records every request it gets, then hands it to next.
type recordingServer struct {
	*httptest.Server
	mu   sync.Mutex
	seen []recordedRequest
	next http.Handler
}

func (s *recordingServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	s.mu.Lock()
	s.seen = append(s.seen, recordedRequest{method: r.Method, path: r.URL.Path, hash: r.Form.Has("hash")})
	s.mu.Unlock()
	s.next.ServeHTTP(w, r)
}

func (s *recordingServer) requests() []recordedRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]recordedRequest(nil), s.seen...)
}

func newRecordingServer(t *testing.T, tls bool, next http.Handler) *recordingServer {
	t.Helper()
	s := &recordingServer{next: next}
	if tls {
		s.Server = httptest.NewTLSServer(s)
	} else {
		s.Server = httptest.NewServer(s)
	}
	t.Cleanup(s.Close)
	return s
}

// writeCertPEM writes a test server's certificate as a PEM file, for
// ca_cert_file.
func writeCertPEM(t *testing.T, srv *httptest.Server) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "ca.pem")
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(file, pemBytes, 0o600); err != nil {
		t.Fatal(err)
	}
	return file
}

// A redirect in MOR's place fails the read, naming the status and where it
// points, and the signed request goes nowhere but the configured origin:
// every redirect status, to the same host over https, to another host and
// to another path of the same origin. Each target is a recording server
// that would answer as MOR does, and which the provider would trust.
func TestRedirectsAreNotFollowed(t *testing.T) {
	data := morsim.Generate(42, testSizes)
	sim := morsim.New(data, morsim.Options{})
	for _, status := range []int{301, 302, 303, 307, 308} {
		for _, target := range []string{"same host over https", "another host", "another path"} {
			t.Run(fmt.Sprintf("%d to %s", status, target), func(t *testing.T) {
				// resource.ParallelTest runs the cells in parallel.
				// MOR itself, as the redirect's targets.
				httpsMOR := newRecordingServer(t, true, sim)
				otherHost := newRecordingServer(t, false, sim)
				var location func(r *http.Request) string
				origin := newRecordingServer(t, false, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if !strings.HasPrefix(r.URL.Path, "/billing/") {
						sim.ServeHTTP(w, r) // MOR's real web root, /mor
						return
					}
					http.Redirect(w, r, location(r), status)
				}))
				method := "dids_get"
				var wantLocation, wantAdvice string
				switch target {
				case "same host over https":
					// nginx's `return 301 https://$host$request_uri`.
					location = func(r *http.Request) string { return httpsMOR.URL + r.URL.RequestURI() }
					wantLocation = httpsMOR.URL + "/billing/api/" + method
					wantAdvice = fmt.Sprintf("The server redirects http to https: set url / MOR_URL to %q", httpsMOR.URL+"/billing")
				case "another host":
					other := strings.Replace(otherHost.URL, "127.0.0.1", "localhost", 1)
					location = func(r *http.Request) string { return other + r.URL.RequestURI() }
					wantLocation = other + "/billing/api/" + method
					wantAdvice = fmt.Sprintf("check url / MOR_URL. If that host is your MOR server, set url / MOR_URL to %q", other+"/billing")
				case "another path":
					location = func(*http.Request) string { return "/mor/api/" + method }
					wantLocation = origin.URL + "/mor/api/" + method
					wantAdvice = fmt.Sprintf("set url / MOR_URL to MOR's real web root, which the redirect suggests is %q", origin.URL+"/mor")
				}
				config := fmt.Sprintf(`provider "mor" {
  url            = %q
  username       = "admin"
  api_secret_key = %q
  ca_cert_file   = %q
}
data "mor_dids" "all" {}
`, origin.URL+"/billing", data.APIKey, writeCertPEM(t, httpsMOR.Server))
				// Checked however the plan ends.
				t.Cleanup(func() {
					for _, s := range []struct {
						name string
						srv  *recordingServer
					}{{"the https server", httpsMOR}, {"the other host", otherHost}} {
						if got := s.srv.requests(); len(got) != 0 {
							t.Errorf("%s got requests: %+v", s.name, got)
						}
					}
					for _, r := range origin.requests() {
						if !strings.HasPrefix(r.path, "/billing/api/") {
							t.Errorf("the redirect was followed on the origin: %+v", r)
						}
					}
				})
				resource.ParallelTest(t, resource.TestCase{
					IsUnitTest:               true, // no TF_ACC needed: the servers are local
					ProtoV6ProviderFactories: protoV6ProviderFactories,
					Steps: []resource.TestStep{{
						Config: config,
						ExpectError: regexp.MustCompile("(?i)" + strings.Join([]string{
							errorRe(fmt.Sprintf("HTTP %d", status)).String(),
							regexp.QuoteMeta(wantLocation),
							errorRe(wantAdvice).String(),
						}, `[\s\S]*`)),
					}},
				})
			})
		}
	}
}
