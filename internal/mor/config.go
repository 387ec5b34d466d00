package mor

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Defaults for the Config fields left unset.
const (
	DefaultTimeout               = 30 * time.Second
	DefaultMaxRetries            = 3
	DefaultMaxConcurrentRequests = 4
)

// Config holds everything a Client is built from. Zero values (nil for
// MaxRetries) take the documented defaults.
type Config struct {
	// BaseURL is the MOR web root, e.g. https://mor.example.com/billing.
	// A URL without a path means /billing.
	BaseURL string
	// Username is the API user's login ("u"); hashed by users_get only.
	Username string
	// SecretKey is the API secret key the hashes are made with.
	SecretKey string
	// Password ("p") is the API user's login password, sent only when
	// set, and with GET only to users_get. users_get needs it (and hashes
	// it); the other methods ignore it since 2013.
	Password string
	// UniqueHash is the API user's unique hash, which users_get accepts
	// instead of the password (unsigned); sent only by users_get, and only
	// when Password is empty.
	UniqueHash string
	// HTTPMethod is POST (default: keeps hashes out of access logs) or GET.
	HTTPMethod string
	// Timeout bounds one HTTP attempt, body included, from the moment it
	// has a request slot (see MaxConcurrentRequests). Default DefaultTimeout.
	Timeout time.Duration
	// MaxRetries is how many times one call retries a transient failure
	// (connection error, timeout, 429, 5xx, an answer broken mid-body):
	// a call makes at most MaxRetries+1 requests. nil means
	// DefaultMaxRetries; 0 means no retries.
	MaxRetries *int
	// RetryWaitMin and RetryWaitMax bound the exponential backoff; a
	// Retry-After header is honoured up to RetryWaitMax. Defaults 1s, 30s.
	RetryWaitMin, RetryWaitMax time.Duration
	// CACertFile adds a PEM CA bundle to the system roots.
	CACertFile string
	// Insecure skips TLS verification.
	Insecure bool
	// MaxConcurrentRequests caps requests in flight and open connections.
	// A request given up on at Timeout keeps its slot until its answer has
	// come, or for one more Timeout, when its connection is closed.
	// Default DefaultMaxConcurrentRequests.
	MaxConcurrentRequests int
	// MaxRequestsPerSecond caps the rate of HTTP requests, retries
	// included, for the whole client. 0 means no limit.
	MaxRequestsPerSecond float64
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

// NormalizeBaseURL checks a MOR web root and returns it without a trailing
// slash; a URL without a path gets /billing.
func NormalizeBaseURL(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", errors.New("the MOR URL is empty")
	}
	// Errors quote the URL without its credentials.
	shown := RedactUserinfo(raw)
	u, err := url.Parse(raw)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) && !strings.Contains(raw, "@") {
			return "", fmt.Errorf("the MOR URL %q does not parse: %w", shown, ue.Err)
		}
		return "", fmt.Errorf("the MOR URL %q does not parse", shown)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", fmt.Errorf("the MOR URL %q must start with http:// or https://", shown)
	}
	if u.Host == "" {
		return "", fmt.Errorf("the MOR URL %q has no host", shown)
	}
	if u.User != nil {
		return "", fmt.Errorf("the MOR URL %q must not hold credentials (user:password@): the API user and key are settings of their own", shown)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("the MOR URL %q must not hold a query or a fragment", shown)
	}
	u.Path = strings.TrimRight(u.Path, "/")
	if u.Path == "" {
		u.Path = "/billing"
	}
	u.RawPath = ""
	return u.String(), nil
}

// withDefaults checks cfg and fills in the defaults of the fields left at
// zero; it also returns the normalized base URL.
func (cfg Config) withDefaults() (Config, string, error) {
	base, err := NormalizeBaseURL(cfg.BaseURL)
	if err != nil {
		return cfg, "", &ConfigError{Setting: SettingBaseURL, Err: err}
	}
	if cfg.Username == "" {
		return cfg, "", &ConfigError{Setting: SettingUsername, Err: errors.New("the API username is empty")}
	}
	if cfg.SecretKey == "" {
		return cfg, "", &ConfigError{Setting: SettingSecretKey, Err: errors.New("the API secret key is empty")}
	}
	switch strings.ToUpper(cfg.HTTPMethod) {
	case "", http.MethodPost:
		cfg.HTTPMethod = http.MethodPost
	case http.MethodGet:
		cfg.HTTPMethod = http.MethodGet
	default:
		return cfg, "", &ConfigError{Setting: SettingHTTPMethod, Err: fmt.Errorf("HTTP method %q is not POST or GET", cfg.HTTPMethod)}
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.MaxRetries == nil {
		n := DefaultMaxRetries
		cfg.MaxRetries = &n
	} else if *cfg.MaxRetries < 0 {
		return cfg, "", &ConfigError{Setting: SettingMaxRetries, Err: fmt.Errorf("max retries %d is negative", *cfg.MaxRetries)}
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
	if cfg.MaxRequestsPerSecond < 0 || math.IsNaN(cfg.MaxRequestsPerSecond) || math.IsInf(cfg.MaxRequestsPerSecond, 0) {
		return cfg, "", &ConfigError{Setting: SettingMaxRequestsPerSecond, Err: fmt.Errorf("max requests per second %v is not a positive number", cfg.MaxRequestsPerSecond)}
	}
	if cfg.MaxResponseBytes <= 0 {
		cfg.MaxResponseBytes = DefaultMaxResponseBytes
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = "terraform-provider-mor"
	}
	return cfg, base, nil
}
