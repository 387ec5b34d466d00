package mor

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// Failures that repeat on every request, so they are never retried, each
// with the words that say what it is.

// sendProblem names a failure to get an answer that no retry can mend, or
// returns "" for one that may be transient (or, a proxyRefusal, names
// itself).
func sendProblem(err error) string {
	msg := err.Error()
	switch {
	case errors.Is(err, errSwitchedProtocols):
		return "the server answered HTTP 101 Switching Protocols, which no MOR answer is: check that url points at MOR's API, not at an endpoint that upgrades the connection (a WebSocket, say)"
	case strings.Contains(msg, "tls: ") && strings.Contains(msg, "protocol version"):
		return "the server and this provider share no TLS version (the provider speaks TLS 1.2 and 1.3): the server's TLS setup must allow TLS 1.2 or newer"
	case strings.Contains(msg, "remote error: tls: certificate required"), strings.Contains(msg, "remote error: tls: bad certificate"):
		return "the server wants a TLS client certificate, which the provider does not send (MOR's API asks for none): check that url points at MOR, or whether a proxy in front of it requires one"
	case strings.Contains(msg, "remote error: tls: handshake failure"):
		return "the server refused the TLS handshake, as it does on every attempt: it may want a TLS client certificate (the provider sends none; MOR's API asks for none) or share no cipher suite with the provider (TLS 1.2 and 1.3, Go's defaults)"
	case strings.Contains(msg, "server gave HTTP response to HTTPS client"):
		return "url says https://, but the server answers plain HTTP on that port: use the port that serves HTTPS, or http:// if MOR has no HTTPS"
	case strings.Contains(msg, `malformed HTTP response "\x15\x03`), strings.Contains(msg, `malformed HTTP response "\x16\x03`):
		return "url says http://, but the server speaks TLS on that port: use https://"
	}
	return ""
}

// errSwitchedProtocols is an answer of HTTP 101 Switching Protocols.
var errSwitchedProtocols = errors.New("HTTP 101 Switching Protocols")

// refuseSwitchedProtocols closes the connection of a 101 answer: net/http
// hands that connection over whole, beyond the reach of the request's
// context, so neither the timeout nor a cancel would end a read of it.
func refuseSwitchedProtocols(resp *http.Response, err error) roundTrip {
	if err == nil && resp.StatusCode == http.StatusSwitchingProtocols {
		_ = resp.Body.Close()
		return roundTrip{err: errSwitchedProtocols}
	}
	return roundTrip{resp, err}
}

// plainHTTPToTLSPhrases are what web servers answer (HTTP 400) to plain
// HTTP sent to their TLS port: Go, nginx and Apache.
var plainHTTPToTLSPhrases = [][]byte{
	[]byte("HTTP request to an HTTPS server"),
	[]byte("plain HTTP request was sent to HTTPS port"),
	[]byte("speaking plain HTTP to an SSL-enabled server port"),
}

// statusMismatchProblem names a 400 answer that says plain HTTP reached a
// TLS port, or returns "".
func statusMismatchProblem(status int, head []byte) string {
	if status != http.StatusBadRequest {
		return ""
	}
	for _, p := range plainHTTPToTLSPhrases {
		if bytes.Contains(head, p) {
			return "url says http://, but the server speaks TLS on that port: use https://"
		}
	}
	return ""
}

// proxyRefusal is a proxy's 401 or 407 to CONNECT, the request that opens
// a tunnel to an https:// MOR: the proxy wants (other) credentials.
type proxyRefusal struct{ status int }

func (p *proxyRefusal) Error() string {
	return fmt.Sprintf("%s (HTTP %d to CONNECT): the proxy wants credentials, given in the proxy URL as http://user:password@host:port, "+
		"or other ones if it has them", http.StatusText(p.status), p.status)
}

// refuseProxyAuth is the transport's OnProxyConnectResponse.
func refuseProxyAuth(_ context.Context, _ *url.URL, _ *http.Request, resp *http.Response) error {
	if resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusProxyAuthRequired {
		return &proxyRefusal{status: resp.StatusCode}
	}
	return nil
}

// errContentEncoding: a body that Content-Encoding: gzip says is gzip, and
// is not (or is corrupt).
var errContentEncoding = errors.New("the Content-Encoding header says gzip, but the body is not valid gzip")

// contentEncodingReader reads a body that Content-Encoding: gzip says is
// gzip, telling its gzip format errors as errContentEncoding. The
// connection's own failures come through as connReadErrors, and a stream
// that ends early as io.ErrUnexpectedEOF: a truncated answer.
type contentEncodingReader struct{ gz io.Reader }

func (r *contentEncodingReader) Read(p []byte) (int, error) {
	n, err := r.gz.Read(p)
	var corrupt flate.CorruptInputError
	if errors.Is(err, gzip.ErrHeader) || errors.Is(err, gzip.ErrChecksum) || errors.As(err, &corrupt) {
		err = fmt.Errorf("%w (%w)", errContentEncoding, err)
	}
	return n, err
}
