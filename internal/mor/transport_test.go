package mor_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mor-terraform/terraform-provider-mor/internal/mor"
)

// Answers at the HTTP level that no MOR sends, from a server of the test's
// own: each ends in an error within the request timeout, and none that
// would fail again is retried.

// A 101 hands the connection over beyond the request's context: read as an
// answer, it would never end, whatever the timeout or a cancel.
func TestSwitchingProtocolsEndsWithinTheTimeout(t *testing.T) {
	t.Parallel()
	srv, requests := hijackingServer(t, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: mor\r\nConnection: Upgrade\r\n\r\n")
	const timeout = time.Second
	c, err := mor.New(mor.Config{BaseURL: srv.URL, Username: "admin", SecretKey: "transport-test-key", Timeout: timeout, MaxRetries: retries(3)})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := c.DIDs(context.Background(), mor.DIDFilter{})
		done <- err
	}()
	// Far beyond the timeout: a call still running then never ends.
	select {
	case err := <-done:
		var te *mor.TransportError
		if !errors.As(err, &te) || !strings.Contains(err.Error(), "answered HTTP 101 Switching Protocols") {
			t.Errorf("got %v, want a transport error naming the 101", err)
		}
	case <-time.After(20 * timeout):
		t.Fatalf("the call still runs %v after a %v timeout", 20*timeout, timeout)
	}
	if n := requests.Load(); n != 1 {
		t.Errorf("%d requests with max_retries 3, want 1: a 101 comes again on every retry", n)
	}
}

// A body Content-Encoding: gzip announces is undone above the connection's
// reader: a gzip stream cut short, all its bytes delivered, is a truncated
// answer (it comes the same again: sent once); a connection cut short of the
// Content-Length is a broken connection (retried).
func TestGzipCutShortIsToldFromAConnectionCutShort(t *testing.T) {
	t.Parallel()
	var gz bytes.Buffer
	w := gzip.NewWriter(&gz)
	_, _ = w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?>` + "\n<page><dids>" + strings.Repeat(`<did><id>1</id><did>370</did></did>`, 200) + "</dids></page>\n"))
	_ = w.Close()
	half := gz.Bytes()[:gz.Len()/2]
	for name, tc := range map[string]struct {
		contentLength   int
		want            string
		requestsFor3Max int64
	}{
		"the gzip stream cut short": {len(half), "(truncated)", 1},
		"the connection cut short":  {gz.Len(), "the connection failed while reading the answer", 4},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var requests atomic.Int64
			srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
				requests.Add(1)
				if r.Header.Get("Accept-Encoding") != "gzip" {
					t.Errorf("Accept-Encoding %q, want gzip", r.Header.Get("Accept-Encoding"))
				}
				conn, buf, err := http.NewResponseController(rw).Hijack()
				if err != nil {
					return
				}
				defer conn.Close()
				fmt.Fprintf(buf, "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Encoding: gzip\r\nContent-Length: %d\r\n\r\n", tc.contentLength)
				_, _ = buf.Write(half)
				_ = buf.Flush()
			}))
			t.Cleanup(srv.Close)
			c, err := mor.New(mor.Config{BaseURL: srv.URL, Username: "admin", SecretKey: "transport-test-key", MaxRetries: retries(3), RetryWaitMin: time.Millisecond, RetryWaitMax: time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.DIDs(context.Background(), mor.DIDFilter{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want an error with %q", err, tc.want)
			}
			if n := requests.Load(); n != tc.requestsFor3Max {
				t.Errorf("%d requests with max_retries 3, want %d", n, tc.requestsFor3Max)
			}
		})
	}
}

// A server that wants a client certificate refuses every attempt the same
// way (TLS 1.3 says so after the handshake, TLS 1.2 during it).
func TestClientCertificateRequiredIsNotRetried(t *testing.T) {
	t.Parallel()
	for name, version := range map[string]uint16{"TLS 1.3": tls.VersionTLS13, "TLS 1.2": tls.VersionTLS12} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewUnstartedServer(http.NotFoundHandler())
			var conns atomic.Int64
			srv.Config.ConnState = func(_ net.Conn, state http.ConnState) {
				if state == http.StateNew {
					conns.Add(1)
				}
			}
			srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the handshake errors are the point
			srv.TLS = &tls.Config{ClientAuth: tls.RequireAnyClientCert, MinVersion: version, MaxVersion: version}
			srv.StartTLS()
			t.Cleanup(srv.Close)
			c, err := mor.New(mor.Config{BaseURL: srv.URL, Username: "admin", SecretKey: "transport-test-key", Insecure: true, MaxRetries: retries(3), RetryWaitMin: time.Millisecond, RetryWaitMax: time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.DIDs(context.Background(), mor.DIDFilter{})
			if err == nil || !strings.Contains(err.Error(), "TLS client certificate") {
				t.Errorf("got %v", err)
			}
			if n := conns.Load(); n != 1 {
				t.Errorf("%d connections with max_retries 3, want 1: a refusal that repeats was retried", n)
			}
		})
	}
}
