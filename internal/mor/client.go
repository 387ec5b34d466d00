// Package mor is a client for the hashed XML API of Kolmisoft MOR. It knows
// nothing of Terraform: it turns API calls into plain Go structs and typed
// errors (see errors.go). The MOR behaviour it follows is described in
// shared/mor-api.md.
package mor

import (
	"context"
	"crypto/sha1"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-cleanhttp"
	"github.com/hashicorp/go-retryablehttp"
	"golang.org/x/sync/semaphore"
	"golang.org/x/sync/singleflight"
)

// Level is the severity of a log entry passed to Config.Log.
type Level int

const (
	LevelTrace Level = iota
	LevelDebug
	LevelWarn
)

// LogFunc receives the client's log entries. Fields never hold the key, the
// password or a hash; the caller may mask them again by key.
type LogFunc func(ctx context.Context, level Level, msg string, fields map[string]any)

// Defaults for the Config fields left at zero.
const (
	DefaultTimeout               = 30 * time.Second
	DefaultMaxRetries            = 3
	DefaultMaxConcurrentRequests = 4
)

// Config holds everything a Client is built from. Zero values take the
// documented defaults.
type Config struct {
	// BaseURL is the MOR web root, e.g. https://mor.example.com/billing.
	// A URL without a path means /billing.
	BaseURL string
	// Username is the API user's login ("u"); never hashed.
	Username string
	// SecretKey is the API secret key the hashes are made with.
	SecretKey string
	// Password ("p") is sent only when set; MOR ignores it since 2013.
	Password string
	// HTTPMethod is POST (default: keeps hashes out of access logs) or GET.
	HTTPMethod string
	// Timeout bounds one HTTP attempt, body included. Default DefaultTimeout.
	Timeout time.Duration
	// MaxRetries is how many times a transient failure (connection error,
	// timeout, 429, 5xx) is retried. Negative means none; default
	// DefaultMaxRetries.
	MaxRetries int
	// RetryWaitMin and RetryWaitMax bound the exponential backoff; a
	// Retry-After header is honoured up to RetryWaitMax. Defaults 1s, 30s.
	RetryWaitMin, RetryWaitMax time.Duration
	// CACertFile adds a PEM CA bundle to the system roots.
	CACertFile string
	// Insecure skips TLS verification.
	Insecure bool
	// MaxConcurrentRequests caps requests in flight and open connections.
	// Default DefaultMaxConcurrentRequests.
	MaxConcurrentRequests int
	// MaxResponseBytes caps a decoded answer. Default DefaultMaxResponseBytes.
	MaxResponseBytes int64
	// UserAgent is sent with every request.
	UserAgent string
	// Log, when set, receives the client's log entries.
	Log LogFunc
	// DisableCache turns off reuse of finished answers. Identical
	// concurrent calls still share one request.
	DisableCache bool
}

// Client calls the MOR API. It is safe for concurrent use. Within one
// Client, identical calls are made once: concurrent ones share a request
// and a finished answer is reused (a Client lives for one Terraform run).
type Client struct {
	cfg      Config
	apiBase  string // <base>/api/, no query
	http     *retryablehttp.Client
	sem      *semaphore.Weighted
	flight   singleflight.Group
	cache    sync.Map // call key -> result
	secrets  []string
	legacy   atomic.Bool // the server has device_list only
	requests atomic.Int64
}

const (
	methodDevices       = "devices_get"
	methodDeviceList    = "device_list"
	methodDeviceDetails = "device_details_get"
	methodDIDs          = "dids_get"
	methodCLIs          = "device_clis_get"
)

// New validates cfg and builds a Client. It does not contact MOR.
func New(cfg Config) (*Client, error) {
	base, err := NormalizeBaseURL(cfg.BaseURL)
	if err != nil {
		return nil, &ConfigError{Setting: "BaseURL", Err: err}
	}
	if cfg.Username == "" {
		return nil, &ConfigError{Setting: "Username", Err: errors.New("the API username is empty")}
	}
	if cfg.SecretKey == "" {
		return nil, &ConfigError{Setting: "SecretKey", Err: errors.New("the API secret key is empty")}
	}
	switch strings.ToUpper(cfg.HTTPMethod) {
	case "", http.MethodPost:
		cfg.HTTPMethod = http.MethodPost
	case http.MethodGet:
		cfg.HTTPMethod = http.MethodGet
	default:
		return nil, &ConfigError{Setting: "HTTPMethod", Err: fmt.Errorf("HTTP method %q is not POST or GET", cfg.HTTPMethod)}
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.MaxRetries == 0 {
		cfg.MaxRetries = DefaultMaxRetries
	} else if cfg.MaxRetries < 0 {
		cfg.MaxRetries = 0
	}
	if cfg.RetryWaitMin <= 0 {
		cfg.RetryWaitMin = time.Second
	}
	if cfg.RetryWaitMax <= 0 {
		cfg.RetryWaitMax = 30 * time.Second
	}
	if cfg.RetryWaitMax < cfg.RetryWaitMin {
		cfg.RetryWaitMax = cfg.RetryWaitMin
	}
	if cfg.MaxConcurrentRequests <= 0 {
		cfg.MaxConcurrentRequests = DefaultMaxConcurrentRequests
	}
	if cfg.MaxResponseBytes <= 0 {
		cfg.MaxResponseBytes = DefaultMaxResponseBytes
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = "terraform-provider-mor"
	}

	transport := cleanhttp.DefaultPooledTransport()
	// Keep one idle connection per allowed request so keep-alive works at
	// full concurrency, and never open more than that: the transport hands a
	// connection back to its pool shortly after the body is closed, so a
	// request let through by the semaphore in that gap would otherwise dial
	// a new one instead of waiting for it.
	transport.MaxIdleConnsPerHost = cfg.MaxConcurrentRequests
	transport.MaxConnsPerHost = cfg.MaxConcurrentRequests
	if cfg.CACertFile != "" || cfg.Insecure {
		tlsCfg := &tls.Config{MinVersion: tls.VersionTLS12}
		if cfg.CACertFile != "" {
			pem, err := os.ReadFile(cfg.CACertFile)
			if err != nil {
				return nil, &ConfigError{Setting: "CACertFile", Err: fmt.Errorf("reading the CA certificate file: %w", err)}
			}
			pool, err := x509.SystemCertPool()
			if err != nil || pool == nil {
				pool = x509.NewCertPool()
			}
			if !pool.AppendCertsFromPEM(pem) {
				return nil, &ConfigError{Setting: "CACertFile", Err: fmt.Errorf("the CA certificate file %s holds no PEM certificate", cfg.CACertFile)}
			}
			tlsCfg.RootCAs = pool
		}
		// Only when the user asks for it; the provider warns.
		tlsCfg.InsecureSkipVerify = cfg.Insecure
		transport.TLSClientConfig = tlsCfg
	}

	c := &Client{
		cfg:     cfg,
		apiBase: base + "/api/",
		sem:     semaphore.NewWeighted(int64(cfg.MaxConcurrentRequests)),
	}
	for _, s := range []string{cfg.SecretKey, cfg.Password} {
		if s != "" {
			c.secrets = append(c.secrets, s)
		}
	}
	c.http = &retryablehttp.Client{
		HTTPClient:   &http.Client{Transport: &countingTransport{next: transport, total: &c.requests, sem: c.sem}, Timeout: cfg.Timeout},
		RetryWaitMin: cfg.RetryWaitMin,
		RetryWaitMax: cfg.RetryWaitMax,
		RetryMax:     cfg.MaxRetries,
		// DefaultRetryPolicy retries connection errors, 429 and 5xx (not
		// 501), but not TLS or URL errors, and stops when ctx is done.
		// MOR itself always answers 200, so its XML errors are never retried.
		// The call's shared budget (see send) is checked first.
		CheckRetry: func(ctx context.Context, resp *http.Response, err error) (bool, error) {
			if n, ok := ctx.Value(attemptsKey{}).(*int); ok && *n > cfg.MaxRetries {
				return false, nil
			}
			return retryablehttp.DefaultRetryPolicy(ctx, resp, err)
		},
		Backoff: func(lo, hi time.Duration, n int, resp *http.Response) time.Duration {
			// DefaultBackoff honours Retry-After without a ceiling; a
			// proxy asking for an hour must not hang a plan.
			return min(retryablehttp.DefaultBackoff(lo, hi, n, resp), hi)
		},
		// Hand the last response or error back as it is: the client
		// builds its own errors, free of URLs with hashes in them.
		ErrorHandler: retryablehttp.PassthroughErrorHandler,
	}
	c.http.RequestLogHook = func(_ retryablehttp.Logger, req *http.Request, attempt int) {
		if attempt > 0 {
			c.log(req.Context(), LevelDebug, "retrying MOR API request", map[string]any{"mor_method": req.URL.Path[strings.LastIndexByte(req.URL.Path, '/')+1:], "attempt": attempt + 1})
		}
	}
	return c, nil
}

// NormalizeBaseURL checks a MOR web root and returns it without a trailing
// slash; a URL without a path gets /billing.
func NormalizeBaseURL(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", errors.New("the MOR URL is empty")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("the MOR URL %q does not parse: %w", raw, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", fmt.Errorf("the MOR URL %q must start with http:// or https://", raw)
	}
	if u.Host == "" {
		return "", fmt.Errorf("the MOR URL %q has no host", raw)
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("the MOR URL %q must not hold credentials, a query or a fragment", raw)
	}
	u.Path = strings.TrimRight(u.Path, "/")
	if u.Path == "" {
		u.Path = "/billing"
	}
	u.RawPath = ""
	return u.String(), nil
}

// RequestCount reports how many HTTP requests this client has sent,
// retries included.
func (c *Client) RequestCount() int64 { return c.requests.Load() }

// hashOf is MOR's request hash: lowercase hex SHA-1 of the hashed parameter
// values, concatenated, followed by the secret key.
func hashOf(key string, values ...string) string {
	h := sha1.New()
	for _, v := range values {
		h.Write([]byte(v))
	}
	h.Write([]byte(key))
	return hex.EncodeToString(h.Sum(nil))
}

// redact removes the key, the password and the given hashes from s.
func (c *Client) redact(s string, hashes ...string) string {
	for _, secret := range append(hashes, c.secrets...) {
		if secret != "" {
			s = strings.ReplaceAll(s, secret, "[redacted]")
		}
	}
	return s
}

func (c *Client) log(ctx context.Context, level Level, msg string, fields map[string]any) {
	if c.cfg.Log != nil {
		c.cfg.Log(ctx, level, msg, fields)
	}
}

// apiCall is one API request: the method, its parameters (documented ones
// only: the server decides what is hashed) and the values it hashes.
type apiCall struct {
	method string
	params url.Values
	hashed []string
}

func (a apiCall) key() string { return a.method + "?" + a.params.Encode() }

// decodeFunc streams a decoded body into a result, returning MOR's own error
// message if the document holds one.
type decodeFunc func(b *body) (result any, morError string, err error)

// do makes (or reuses) one API call. Identical calls share one request; a
// successful answer is kept for later identical calls.
func (c *Client) do(ctx context.Context, call apiCall, decode decodeFunc) (any, error) {
	key := call.key()
	if !c.cfg.DisableCache {
		if v, ok := c.cache.Load(key); ok {
			c.log(ctx, LevelTrace, "reusing MOR API answer", map[string]any{"mor_method": call.method})
			return v, nil
		}
	}
	for {
		ch := c.flight.DoChan(key, func() (any, error) {
			// The request runs on the context of the caller that started
			// it, so cancelling that caller (Ctrl-C) aborts the request.
			v, err := c.send(ctx, call, decode)
			if err == nil && !c.cfg.DisableCache {
				c.cache.Store(key, v)
			}
			return v, err
		})
		select {
		case r := <-ch:
			// Another caller started the request and was cancelled: this
			// caller is still waiting, so it makes the call itself.
			if r.Err != nil && errors.Is(r.Err, context.Canceled) && ctx.Err() == nil {
				continue
			}
			return r.Val, r.Err
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

func (c *Client) send(ctx context.Context, call apiCall, decode decodeFunc) (any, error) {
	hash := hashOf(c.cfg.SecretKey, call.hashed...)
	form := url.Values{}
	for k, v := range call.params {
		form[k] = v
	}
	form.Set("u", c.cfg.Username)
	if c.cfg.Password != "" {
		form.Set("p", c.cfg.Password)
	}
	form.Set("hash", hash)

	// attempts counts every HTTP request of this call. retryablehttp
	// retries failures before an answer arrives; a connection that breaks
	// while the answer is read is retried here. Both share one budget of
	// MaxRetries, so a call makes at most MaxRetries+1 requests.
	attempts := new(int)
	for {
		v, err := c.exchange(ctx, call, decode, hash, form, attempts)
		var te *TransportError
		if err == nil || !errors.As(err, &te) || !te.midBody || *attempts > c.cfg.MaxRetries || ctx.Err() != nil {
			return v, err
		}
		wait := c.http.Backoff(c.cfg.RetryWaitMin, c.cfg.RetryWaitMax, *attempts-1, nil)
		c.log(ctx, LevelDebug, "retrying MOR API request after a broken answer", map[string]any{"mor_method": call.method, "attempt": *attempts + 1, "error": te.Err.Error()})
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// exchange makes one request (with retryablehttp's retries) and decodes the
// answer.
func (c *Client) exchange(ctx context.Context, call apiCall, decode decodeFunc, hash string, form url.Values, attempts *int) (any, error) {
	endpoint := c.apiBase + call.method
	reqCtx := context.WithValue(ctx, attemptsKey{}, attempts)
	var req *retryablehttp.Request
	var err error
	if c.cfg.HTTPMethod == http.MethodGet {
		req, err = retryablehttp.NewRequestWithContext(reqCtx, http.MethodGet, endpoint+"?"+form.Encode(), nil)
	} else {
		req, err = retryablehttp.NewRequestWithContext(reqCtx, http.MethodPost, endpoint, strings.NewReader(form.Encode()))
		if req != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
	}
	if err != nil {
		return nil, fmt.Errorf("building the %s request: %v", call.method, c.redact(err.Error(), hash))
	}
	req.Header.Set("User-Agent", c.cfg.UserAgent)
	req.Header.Set("Accept", "text/xml, text/html;q=0.9, */*;q=0.1")

	logFields := map[string]any{"mor_method": call.method, "http_method": c.cfg.HTTPMethod, "url": endpoint}
	for k := range call.params {
		logFields["param_"+k] = call.params.Get(k)
	}
	c.log(ctx, LevelDebug, "calling MOR API", logFields)

	start := time.Now()
	resp, err := c.http.Do(req)
	if err != nil {
		if resp != nil {
			_ = resp.Body.Close()
		}
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, ctxErr
		}
		return nil, &TransportError{Method: call.method, URL: endpoint, Attempts: *attempts, Err: c.cleanTransportError(err, hash)}
	}
	defer drainAndClose(resp.Body)

	fields := map[string]any{"mor_method": call.method, "http_status": resp.StatusCode, "attempts": *attempts, "elapsed_ms": time.Since(start).Milliseconds()}
	if resp.StatusCode != http.StatusOK {
		c.log(ctx, LevelDebug, "MOR API request failed", fields)
		b, _ := openBody(resp, 64<<10)
		var ex string
		if b != nil {
			ex = excerpt(b.head, func(s string) string { return c.redact(s, hash) })
			b.release()
		}
		return nil, &ResponseError{Method: call.method, StatusCode: resp.StatusCode, Attempts: *attempts,
			Problem: fmt.Sprintf("HTTP status %d from the server or a proxy in front of it (MOR itself always answers 200)", resp.StatusCode), Excerpt: ex}
	}

	resp.Body = &connReader{r: resp.Body}
	b, err := openBody(resp, c.cfg.MaxResponseBytes)
	if err != nil {
		return nil, c.bodyError(ctx, call.method, resp.StatusCode, *attempts, nil, err, hash)
	}
	defer b.release()
	result, morErr, err := decode(b)
	if err != nil {
		return nil, c.bodyError(ctx, call.method, resp.StatusCode, *attempts, b.head, err, hash)
	}
	fields["elapsed_ms"] = time.Since(start).Milliseconds()
	if morErr != "" {
		apiErr := newAPIError(call.method, c.redact(morErr, hash))
		fields["mor_error"] = apiErr.Message
		c.log(ctx, LevelDebug, "MOR API answered with an error", fields)
		return nil, apiErr
	}
	c.log(ctx, LevelDebug, "MOR API answered", fields)
	return result, nil
}

// bodyError describes a failure while reading or decoding an answer. An
// excerpt is shown only for answers that are not MOR XML at all: a broken
// MOR document may hold device secrets.
func (c *Client) bodyError(ctx context.Context, method string, status, attempts int, head []byte, err error, hash string) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return ctxErr
	}
	var rootErr *unexpectedRootError
	var connErr *connReadError
	if errors.As(err, &connErr) {
		return &TransportError{Method: method, URL: c.apiBase + method, Attempts: attempts, midBody: true,
			Err: fmt.Errorf("the connection failed while reading the answer: %w", c.cleanTransportError(connErr.err, hash))}
	}
	re := &ResponseError{Method: method, StatusCode: status, Attempts: attempts, Err: err}
	switch {
	case errors.Is(err, errNotXML), errors.As(err, &rootErr):
		re.Problem = err.Error()
		re.Excerpt = excerpt(head, func(s string) string { return c.redact(s, hash) })
	case errors.Is(err, errEmpty), errors.Is(err, errTruncated), errors.Is(err, ErrTooLarge):
		re.Problem = err.Error()
	case errors.Is(err, errSyntax):
		re.Problem = "the XML answer is malformed: " + c.redact(err.Error(), hash)
	default:
		re.Problem = "reading the answer failed: " + c.redact(err.Error(), hash)
	}
	c.log(ctx, LevelDebug, "MOR API answer unusable", map[string]any{"mor_method": method, "problem": re.Problem})
	return re
}

// cleanTransportError drops the *url.Error wrapper (its message holds the
// URL, and with GET the hash), names a timeout as such (Go words it
// differently depending on where the deadline struck), and redacts the rest.
func (c *Client) cleanTransportError(err error, hash string) error {
	var netErr net.Error
	if errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &netErr) && netErr.Timeout()) {
		return fmt.Errorf("no answer within the request timeout of %s", c.cfg.Timeout)
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return errors.New(c.redact(err.Error(), hash))
}

// drainAndClose reads what is left of a body (a little: an answer that failed
// to decode may be large) so the keep-alive connection can serve the next
// request, then closes it.
func drainAndClose(body io.ReadCloser) {
	_, _ = io.CopyN(io.Discard, body, 64<<10)
	_ = body.Close()
}

// connReader marks errors of the connection itself (reset, timeout, a body
// shorter than its Content-Length) so they are not taken for a truncated
// document. connReadError deliberately does not unwrap: an
// io.ErrUnexpectedEOF from the connection is not the document's EOF.
type connReader struct{ r io.ReadCloser }

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

// attemptsKey carries a per-call attempt counter to countingTransport.
type attemptsKey struct{}

// countingTransport counts HTTP attempts, per call and for the client, and
// holds a slot of MaxConcurrentRequests from sending a request until its
// answer's body is closed. Backoff between retries holds no slot.
type countingTransport struct {
	next  http.RoundTripper
	total *atomic.Int64
	sem   *semaphore.Weighted
}

func (t *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if err := t.sem.Acquire(r.Context(), 1); err != nil {
		return nil, err
	}
	if n, ok := r.Context().Value(attemptsKey{}).(*int); ok {
		*n++ // retries of one call are sequential: no race
	}
	t.total.Add(1)
	resp, err := t.next.RoundTrip(r)
	if err != nil {
		t.sem.Release(1)
		return nil, err
	}
	resp.Body = &releasingBody{ReadCloser: resp.Body, release: func() { t.sem.Release(1) }}
	return resp, nil
}

// releasingBody frees the request's slot when the body is closed.
type releasingBody struct {
	io.ReadCloser
	once    sync.Once
	release func()
}

func (b *releasingBody) Close() error {
	err := b.ReadCloser.Close()
	b.once.Do(b.release)
	return err
}
