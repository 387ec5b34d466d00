package morsim

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"strconv"
	"time"
)

// Fault is a failure the simulator injects in front of a method's answer.
// Several fields may be set; Latency applies first.
type Fault struct {
	// Latency delays the answer (the request's context still cancels it).
	Latency time.Duration
	// Status answers with this HTTP status and a short HTML body, as a
	// proxy or load balancer in front of MOR would.
	Status int
	// RetryAfter is sent as the Retry-After header with Status.
	RetryAfter string
	// Reset closes the connection without an answer.
	Reset bool
	// ResetMidBody sends half the answer, then drops the connection.
	ResetMidBody bool
	// Truncate sends a well-formed HTTP answer holding the first half of
	// the XML only, as a proxy that cut it would.
	Truncate bool
	// HTML answers 200 with an HTML login page instead of XML.
	HTML bool
	// Body, when not nil, replaces the answer (an empty slice: empty body).
	Body []byte
	// ContentEncoding is sent as the Content-Encoding header with Body.
	ContentEncoding string
	// SlowBody pauses this long after each 256-byte chunk of the answer.
	SlowBody time.Duration
	// Times limits the fault to the next Times requests (0: until cleared).
	Times int
	// Rate applies the fault to each request with this probability
	// (0: every request), from a seeded source.
	Rate float64
}

// LoginPage is the HTML a MOR in front of a login redirect answers with.
const LoginPage = `<!DOCTYPE html>
<html>
<head><title>MOR: Login</title></head>
<body><form action="/billing/callc/login" method="post"><input name="login_username"><input type="password" name="login_psw"></form></body>
</html>
`

// SetFault injects f for method ("" for every method), replacing any fault
// set for it before.
func (s *Server) SetFault(method string, f Fault) {
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	s.faults[method] = &f
}

// ClearFaults removes every injected fault.
func (s *Server) ClearFaults() {
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	s.faults = map[string]*Fault{}
}

// takeFault returns the fault for this request, if any, counting down Times.
func (s *Server) takeFault(method string) *Fault {
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	key := method
	f := s.faults[key]
	if f == nil {
		key = ""
		f = s.faults[key]
	}
	if f == nil {
		return nil
	}
	if f.Rate > 0 && s.rng.Float64() >= f.Rate {
		return nil
	}
	if f.Times > 0 {
		f.Times--
		if f.Times == 0 {
			delete(s.faults, key)
		}
	}
	cp := *f
	return &cp
}

// waitFunc pauses a request; false means the client hung up meanwhile.
type waitFunc func(r *http.Request, d time.Duration) bool

// before applies what comes before the answer; it reports whether the
// request has been dealt with.
func (f *Fault) before(w http.ResponseWriter, r *http.Request, wait waitFunc) bool {
	if !wait(r, f.Latency) {
		return true
	}
	switch {
	case f.Reset:
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				_ = conn.Close()
				return true
			}
		}
		panic(http.ErrAbortHandler)
	case f.Status != 0:
		if f.RetryAfter != "" {
			w.Header().Set("Retry-After", f.RetryAfter)
		}
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(f.Status)
		_, _ = w.Write([]byte("<html><head><title>" + strconv.Itoa(f.Status) + " " + http.StatusText(f.Status) + "</title></head><body>nginx</body></html>\n"))
		return true
	case f.HTML:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(LoginPage))
		return true
	}
	return false
}

// write sends body as the fault shapes it.
func (f *Fault) write(w http.ResponseWriter, r *http.Request, body []byte, wait waitFunc) {
	if f.Body != nil {
		body = f.Body
		if f.ContentEncoding != "" {
			w.Header().Set("Content-Encoding", f.ContentEncoding)
		}
	}
	switch {
	case f.Truncate:
		body = body[:len(body)/2]
	case f.ResetMidBody:
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		_, _ = w.Write(body[:len(body)/2])
		if fl, ok := w.(http.Flusher); ok {
			fl.Flush()
		}
		panic(http.ErrAbortHandler)
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	if f.SlowBody <= 0 {
		_, _ = w.Write(body)
		return
	}
	for len(body) > 0 {
		n := min(256, len(body))
		if _, err := w.Write(body[:n]); err != nil {
			return
		}
		if fl, ok := w.(http.Flusher); ok {
			fl.Flush()
		}
		body = body[n:]
		if len(body) > 0 && !wait(r, f.SlowBody) {
			return
		}
	}
}

// GzipBomb returns a gzip stream that inflates to n bytes of one repeated
// byte inside an open <page> element, for testing size caps.
func GzipBomb(n int) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	_, _ = zw.Write([]byte(xmlHeader + "<page>\n"))
	chunk := bytes.Repeat([]byte(" "), 1<<16)
	for n > 0 {
		k := min(n, len(chunk))
		_, _ = zw.Write(chunk[:k])
		n -= k
	}
	_, _ = zw.Write([]byte("</page>\n"))
	_ = zw.Close()
	return buf.Bytes()
}
