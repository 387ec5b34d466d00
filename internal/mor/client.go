// Package mor is a client for the hashed XML API of Kolmisoft MOR. It knows
// nothing of Terraform: it turns API calls into plain Go structs and typed
// errors (see errors.go). The MOR behaviour it follows is described in
// shared/mor-api.md.
package mor

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
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

// RequestCount reports how many HTTP requests this client has sent,
// retries included.
func (c *Client) RequestCount() int64 { return c.requests.Load() }
