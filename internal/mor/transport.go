package mor

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net/http"
	"os"

	"github.com/hashicorp/go-cleanhttp"
)

// drainAndClose reads what is left of a body (a little: an answer that failed
// to decode may be large) so the keep-alive connection can serve the next
// request, then closes it.
func drainAndClose(resp *http.Response) {
	_, _ = io.CopyN(io.Discard, resp.Body, 64<<10)
	_ = resp.Body.Close()
}

// connReader marks errors of the connection itself (reset, timeout, a body
// shorter than its Content-Length) so they are not taken for a truncated
// document. connReadError deliberately does not unwrap: an
// io.ErrUnexpectedEOF from the connection is not the document's EOF.
type connReader struct {
	r io.ReadCloser
}

type connReadError struct{ err error }

func (e *connReadError) Error() string { return e.err.Error() }

func (c *connReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if err != nil && err != io.EOF {
		err = &connReadError{err: err}
	}
	return n, err
}

func (c *connReader) Close() error { return c.r.Close() }

// newTransport is the pooled transport of a client, with its TLS settings.
func newTransport(cfg Config) (*http.Transport, error) {
	transport := cleanhttp.DefaultPooledTransport()
	// Keep one idle connection per allowed request so keep-alive works at
	// full concurrency, and never open more than that: the transport hands a
	// connection back to its pool shortly after the body is closed, so a
	// request let through by the semaphore in that gap would otherwise dial
	// a new one instead of waiting for it.
	transport.MaxIdleConnsPerHost = cfg.MaxConcurrentRequests
	transport.MaxConnsPerHost = cfg.MaxConcurrentRequests
	// HTTP/1.1 only: one request per connection, so closing the connection
	// of a request given up on ends it for the server too (slotTransport).
	transport.ForceAttemptHTTP2 = false
	transport.OnProxyConnectResponse = refuseProxyAuth
	// The client asks for gzip itself (exchange) and undoes it in openBody,
	// above connReader: a gzip stream cut short is then told from a
	// connection cut short, which the transport's own decompression hides.
	transport.DisableCompression = true
	if cfg.CACertFile != "" || cfg.Insecure {
		tlsCfg := &tls.Config{MinVersion: tls.VersionTLS12}
		if cfg.CACertFile != "" {
			pem, err := os.ReadFile(cfg.CACertFile)
			if err != nil {
				return nil, &ConfigError{Setting: SettingCACertFile, Err: fmt.Errorf("reading the CA certificate file: %w", err)}
			}
			pool, err := x509.SystemCertPool()
			if err != nil || pool == nil {
				pool = x509.NewCertPool()
			}
			if !pool.AppendCertsFromPEM(pem) {
				return nil, &ConfigError{Setting: SettingCACertFile, Err: fmt.Errorf("the CA certificate file %s holds no PEM certificate", cfg.CACertFile)}
			}
			tlsCfg.RootCAs = pool
		}
		// Only when the user asks for it; the provider warns.
		tlsCfg.InsecureSkipVerify = cfg.Insecure
		transport.TLSClientConfig = tlsCfg
	}
	return transport, nil
}
