package provider

import (
	"bufio"
	"crypto/tls"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/mor-terraform/terraform-provider-mor/internal/morsim"
)

// Failures that repeat on every request are not retried, and the error says
// what each is (issue 20). Each server counts what reaches it: exactly one
// request (or connection, where no HTTP request gets through).

// countConns counts the connections a test server accepts.
func countConns(srv *httptest.Server) *atomic.Int64 {
	var n atomic.Int64
	srv.Config.ConnState = func(_ net.Conn, state http.ConnState) {
		if state == http.StateNew {
			n.Add(1)
		}
	}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the handshake errors are the point
	return &n
}

// planFailsOnce plans a DID read against url with two retries allowed, and
// checks the error names the problem and the server saw one attempt.
func planFailsOnce(t *testing.T, url, phrase string, seen func() int64) {
	t.Helper()
	config := fmt.Sprintf(`provider "mor" {
  url             = %q
  username        = "admin"
  api_secret_key  = "key"
  max_retries     = 2
  request_timeout = "5s"
}
data "mor_dids" "x" {}
`, url)
	resource.UnitTest(t, resource.TestCase{ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{Config: config, ExpectError: errorRe(phrase)}}})
	if n := seen(); n != 1 {
		t.Errorf("the server saw %d attempts, want 1: a failure that repeats was retried", n)
	}
}

func TestTLSVersionMismatchIsNotRetried(t *testing.T) {
	t.Parallel()
	srv := httptest.NewUnstartedServer(http.NotFoundHandler())
	hellos := countConns(srv)
	srv.TLS = &tls.Config{MaxVersion: tls.VersionTLS11}
	srv.StartTLS()
	defer srv.Close()
	planFailsOnce(t, srv.URL+"/billing", "the server and this provider share no TLS version", hellos.Load)
}

func TestHTTPSToPlainPortIsNotRetried(t *testing.T) {
	t.Parallel()
	srv := httptest.NewUnstartedServer(http.NotFoundHandler())
	conns := countConns(srv)
	srv.Start()
	defer srv.Close()
	planFailsOnce(t, strings.Replace(srv.URL, "http://", "https://", 1)+"/billing", "url says https://, but the server answers plain HTTP on that port", conns.Load)
}

// Go's TLS server answers plain HTTP with a 400 that says so.
func TestHTTPToTLSPortIsNotRetried(t *testing.T) {
	t.Parallel()
	srv := httptest.NewUnstartedServer(http.NotFoundHandler())
	conns := countConns(srv)
	srv.StartTLS()
	defer srv.Close()
	planFailsOnce(t, strings.Replace(srv.URL, "https://", "http://", 1)+"/billing", "url says http://, but the server speaks TLS on that port: use https://", conns.Load)
}

// Other TLS servers answer plain HTTP with a TLS alert.
func TestHTTPToTLSAlertIsNotRetried(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	var conns atomic.Int64
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			conns.Add(1)
			_, _ = bufio.NewReader(c).ReadString('\n')
			_, _ = c.Write([]byte("\x15\x03\x01\x00\x02\x02\x0a")) // alert: unexpected_message
			_ = c.Close()
		}
	}()
	planFailsOnce(t, "http://"+l.Addr().String()+"/billing", "url says http://, but the server speaks TLS on that port: use https://", conns.Load)
}

// A body that Content-Encoding says is gzip but is plain XML is an unusable
// answer, not a broken connection.
func TestContentEncodingMismatchIsNotRetried(t *testing.T) {
	t.Parallel()
	sim := newTestSim(t)
	sim.SetFault("", morsim.Fault{Body: sampleAnswer, ContentEncoding: "gzip"})
	config := providerBlockWithOverrides(sim, []string{"max_retries = 2"}) + `data "mor_dids" "x" {}`
	resource.UnitTest(t, resource.TestCase{ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{Config: config, ExpectError: errorRe("Unusable Answer from MOR")}, {Config: config,
			ExpectError: errorRe("the Content-Encoding header says gzip, but the body is not valid gzip")}}})
	// Two steps, one plan each.
	if n := sim.Stats().Requests; n != 2 {
		t.Errorf("the simulator saw %d requests for two plans, want 2: the answer was retried", n)
	}
}

// A proxy that wants credentials before it opens a tunnel to an https://
// MOR is asked once. Go reads HTTPS_PROXY once per process: the plan runs
// the built provider.
func TestProxyWantingCredentialsIsNotRetried(t *testing.T) {
	t.Parallel()
	for _, status := range []int{http.StatusProxyAuthRequired, http.StatusUnauthorized} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			t.Parallel()
			var seen atomic.Int64
			proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				seen.Add(1)
				w.Header().Set("Proxy-Authenticate", `Basic realm="proxy"`)
				w.WriteHeader(status)
			}))
			defer proxy.Close()
			// Go never proxies "localhost"; "Localhost" it does (see proxiedHost).
			tf := newCLIRunner(t, morProviderRequirement+fmt.Sprintf(`provider "mor" {
  url            = "https://%s:1/billing"
  username       = "admin"
  api_secret_key = "key"
  max_retries    = 2
}
data "mor_dids" "x" {}
`, proxiedHost), "HTTPS_PROXY="+proxy.URL, "NO_PROXY=")
			out, err := tf.run("plan", "-input=false", "-no-color")
			want := fmt.Sprintf("through the proxy %s (HTTPS_PROXY): %s (HTTP %d to CONNECT): the proxy wants credentials", proxy.URL, http.StatusText(status), status)
			if err == nil || !errorRe(want).MatchString(out) {
				t.Errorf("want an error with %q, got %v:\n%s", want, err, out)
			}
			if n := seen.Load(); n != 1 {
				t.Errorf("the proxy saw %d requests, want 1", n)
			}
		})
	}
}
