package provider

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"math/big"
	"net"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mor-terraform/terraform-provider-mor/internal/morsim"
)

// proxyServer is tinyproxy, a forward proxy from the distribution's
// packages (`make test` installs it), on a free loopback port with its own
// configuration and log.
type proxyServer struct {
	URL     string // http://127.0.0.1:port
	logFile string
}

func startProxy(t *testing.T, conf ...string) *proxyServer {
	t.Helper()
	bin, err := exec.LookPath("tinyproxy")
	if err != nil {
		if bin, err = exec.LookPath("/usr/sbin/tinyproxy"); err != nil {
			t.Skip("tinyproxy is not installed: run make test, which installs it")
		}
	}
	dir := t.TempDir()
	addr := strings.TrimPrefix(strings.TrimSuffix(closedURL(t), "/billing"), "http://")
	_, port, _ := net.SplitHostPort(addr)
	p := &proxyServer{URL: "http://" + addr, logFile: filepath.Join(dir, "tinyproxy.log")}
	config := fmt.Sprintf("Port %s\nListen 127.0.0.1\nTimeout 30\nMaxClients 50\nLogLevel Connect\nLogFile %q\nPidFile %q\n%s\n",
		port, p.logFile, filepath.Join(dir, "tinyproxy.pid"), strings.Join(conf, "\n"))
	confFile := filepath.Join(dir, "tinyproxy.conf")
	if err := os.WriteFile(confFile, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-d", "-c", confFile) // -d: in the foreground, a child of the test
	// The proxy dies with the test binary, even when it is killed.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-exited
	})
	for deadline := time.Now().Add(10 * time.Second); ; {
		if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
			_ = c.Close()
			return p
		}
		select {
		case <-exited:
			t.Fatalf("tinyproxy exited: %s", out.String())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("tinyproxy does not listen on %s: %s", addr, out.String())
		}
	}
}

// log is what the proxy logged so far.
func (p *proxyServer) log(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(p.logFile)
	if errors.Is(err, fs.ErrNotExist) {
		return "" // tinyproxy may open its log after it starts listening
	}
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// newLocalhostTLSServer serves h over HTTPS with a certificate for
// localhost made for the test, and writes it as a PEM file for ca_cert_file.
func newLocalhostTLSServer(t *testing.T, h *morsim.Server) (srv *httptest.Server, caFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "localhost"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		DNSNames: []string{"localhost"}, IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true, IsCA: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	srv = httptest.NewUnstartedServer(h)
	srv.TLS = &tls.Config{MinVersion: tls.VersionTLS12, Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	caFile = filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return srv, caFile
}

// proxyPlan plans a read of every DID against url with the given proxy
// environment, and returns the output.
func proxyPlan(t *testing.T, data *morsim.Dataset, url, extra string, env ...string) (string, error) {
	t.Helper()
	config := morProviderRequirement + fmt.Sprintf(`provider "mor" {
  url            = %q
  username       = "admin"
  api_secret_key = %q
  max_retries    = 0
  %s
}
data "mor_dids" "all" {}
output "dids" { value = length(data.mor_dids.all.dids) }
`, url, data.APIKey, extra)
	// Both spellings of each variable: Go takes the upper-case one when set
	// and the machine's lower-case one otherwise.
	vars := map[string]string{"HTTP_PROXY": "", "HTTPS_PROXY": "", "NO_PROXY": ""}
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		vars[k] = v
	}
	var proxyEnv []string
	for k, v := range vars {
		proxyEnv = append(proxyEnv, k+"="+v, strings.ToLower(k)+"="+v)
	}
	return newCLIRunner(t, config, proxyEnv...).run("plan", "-input=false", "-no-color")
}

// newSimsForProxies serves one simulator over http and https, and returns
// its URLs by the proxied host name, and the https certificate's PEM file.
func newSimsForProxies(t *testing.T) (data *morsim.Dataset, httpURL, httpsURL, caFile string) {
	t.Helper()
	data = morsim.Generate(42, testSizes)
	sim := morsim.New(data, morsim.Options{})
	plain := httptest.NewServer(sim)
	t.Cleanup(plain.Close)
	secure, caFile := newLocalhostTLSServer(t, sim)
	hostURL := func(srv *httptest.Server, scheme string) string {
		_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
		return fmt.Sprintf("%s://%s:%s/billing", scheme, proxiedHost, port)
	}
	return data, hostURL(plain, "http"), hostURL(secure, "https"), caFile
}

// Plans reach MOR through the proxy over http and https (CONNECT), the
// proxy's own log shows the requests, and NO_PROXY bypasses it.
func TestProxy(t *testing.T) {
	t.Parallel()
	data, httpURL, httpsURL, caFile := newSimsForProxies(t)
	proxy := startProxy(t)
	wantOutput := fmt.Sprintf("dids = %d", len(data.DIDs))

	for _, tc := range []struct {
		name, url, extra string
		env              []string
		inLog            string // "" when the proxy must not see the request
	}{
		{"http", httpURL, "", []string{"HTTP_PROXY=" + proxy.URL},
			"POST " + strings.TrimSuffix(httpURL, "/billing") + "/billing/api/dids_get"},
		{"https", httpsURL, fmt.Sprintf("ca_cert_file = %q", caFile), []string{"HTTPS_PROXY=" + proxy.URL},
			"CONNECT " + strings.TrimPrefix(strings.TrimSuffix(httpsURL, "/billing"), "https://")},
		{"http, NO_PROXY", httpURL, "", []string{"HTTP_PROXY=" + proxy.URL, "NO_PROXY=localhost"}, ""},
		{"https, NO_PROXY", httpsURL, fmt.Sprintf("ca_cert_file = %q", caFile), []string{"HTTPS_PROXY=" + proxy.URL, "NO_PROXY=localhost"}, ""},
	} {
		before := proxy.log(t)
		out, err := proxyPlan(t, data, tc.url, tc.extra, tc.env...)
		if err != nil || !strings.Contains(out, wantOutput) {
			t.Errorf("%s: the plan failed or lacks %q: %v\n%s", tc.name, wantOutput, err, out)
			continue
		}
		seen := strings.TrimPrefix(proxy.log(t), before)
		switch {
		case tc.inLog != "" && !strings.Contains(seen, tc.inLog):
			t.Errorf("%s: the proxy's log lacks %q:\n%s", tc.name, tc.inLog, seen)
		case tc.inLog == "" && strings.Contains(seen, proxiedHost):
			t.Errorf("%s: NO_PROXY did not bypass the proxy:\n%s", tc.name, seen)
		}
	}
}

// A proxy that refuses fails the plan with an error naming the proxy, and
// the proxy's credentials are in no error and no log: not when the proxy
// accepts them, not when it refuses them.
func TestProxyRefusalsAndCredentials(t *testing.T) {
	t.Parallel()
	data, httpURL, httpsURL, caFile := newSimsForProxies(t)
	const user, password = "moruser", "proxy-pw-4f1c9a"
	proxy := startProxy(t, fmt.Sprintf("BasicAuth %s %s", user, password))
	withCredentials := func(p string) string { return strings.Replace(p, "http://", "http://"+user+":"+password+"@", 1) }
	wrongCredentials := strings.Replace(proxy.URL, "http://", "http://"+user+":"+password+"-wrong@", 1)
	refusedPort := strings.TrimSuffix(closedURL(t), "/billing")
	ca := fmt.Sprintf("ca_cert_file = %q", caFile)
	trace := []string{"TF_LOG=TRACE", "TF_LOG_PROVIDER=TRACE"}

	for _, tc := range []struct {
		name, url, extra, proxyVar, proxyURL string
		want                                 []string // phrases of the error; none: the plan succeeds
	}{
		{"http, credentials", httpURL, "", "HTTP_PROXY", withCredentials(proxy.URL), nil},
		{"https, credentials", httpsURL, ca, "HTTPS_PROXY", withCredentials(proxy.URL), nil},
		{"http, no proxy listening", httpURL, "", "HTTP_PROXY", withCredentials(refusedPort),
			[]string{"Unable to Reach MOR", "through the proxy " + refusedPort + " (HTTP_PROXY)", "connection refused", "the proxy in HTTP_PROXY"}},
		{"https, no proxy listening", httpsURL, ca, "HTTPS_PROXY", withCredentials(refusedPort),
			[]string{"Unable to Reach MOR", "through the proxy " + refusedPort + " (HTTPS_PROXY)", "connection refused"}},
		{"http, wrong credentials", httpURL, "", "HTTP_PROXY", wrongCredentials,
			[]string{"Unusable Answer from MOR", "HTTP status 401 from the proxy " + proxy.URL + " (HTTP_PROXY)"}},
		{"https, wrong credentials", httpsURL, ca, "HTTPS_PROXY", wrongCredentials,
			[]string{"Unable to Reach MOR", "through the proxy " + proxy.URL + " (HTTPS_PROXY): Unauthorized"}},
		{"http, no credentials", httpURL, "", "HTTP_PROXY", proxy.URL,
			[]string{"Unusable Answer from MOR", "HTTP status 407 from the proxy " + proxy.URL + " (HTTP_PROXY): it wants credentials"}},
		{"https, no credentials", httpsURL, ca, "HTTPS_PROXY", proxy.URL,
			[]string{"Unable to Reach MOR", "through the proxy " + proxy.URL + " (HTTPS_PROXY): Proxy Authentication Required"}},
	} {
		out, err := proxyPlan(t, data, tc.url, tc.extra, append([]string{tc.proxyVar + "=" + tc.proxyURL}, trace...)...)
		switch {
		case tc.want == nil && err != nil:
			t.Errorf("%s: the plan failed: %v\n%.3000s", tc.name, err, errorLines(out))
		case tc.want != nil && err == nil:
			t.Errorf("%s: the plan succeeded", tc.name)
		}
		for _, phrase := range tc.want {
			if !errorRe(phrase).MatchString(out) {
				t.Errorf("%s: the error lacks %q:\n%s", tc.name, phrase, errorLines(out))
			}
		}
		if strings.Contains(out, password) {
			t.Errorf("%s: the proxy password is in the output or the TRACE log", tc.name)
		}
	}
	if log := proxy.log(t); !strings.Contains(log, "CONNECT "+proxiedHost) || !strings.Contains(log, "POST http://"+proxiedHost) {
		t.Errorf("the proxy's log lacks the requests:\n%s", log)
	}
}

// errorLines is the part of a plan's output from its first error on.
func errorLines(out string) string {
	if i := strings.Index(out, "Error:"); i >= 0 {
		return out[i:]
	}
	return out
}
