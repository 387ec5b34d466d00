package mor

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

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

// newRetryingClient is the retryablehttp client making a call's requests.
func (c *Client) newRetryingClient(transport http.RoundTripper) *retryablehttp.Client {
	rc := &retryablehttp.Client{
		HTTPClient:   &http.Client{Transport: &concurrencyCapTransport{next: transport, total: &c.requests, sem: c.sem}, Timeout: c.cfg.Timeout},
		RetryWaitMin: c.cfg.RetryWaitMin,
		RetryWaitMax: c.cfg.RetryWaitMax,
		RetryMax:     c.cfg.MaxRetries,
		// DefaultRetryPolicy retries connection errors, 429 and 5xx (not
		// 501), but not TLS or URL errors, and stops when ctx is done.
		// MOR itself always answers 200, so its XML errors are never retried.
		// The call's shared budget (see send) is checked first.
		CheckRetry: func(ctx context.Context, resp *http.Response, err error) (bool, error) {
			if n, ok := ctx.Value(attemptsKey{}).(*int); ok && *n > c.cfg.MaxRetries {
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
	rc.RequestLogHook = func(_ retryablehttp.Logger, req *http.Request, attempt int) {
		if attempt > 0 {
			c.log(req.Context(), LevelDebug, "retrying MOR API request", map[string]any{"mor_method": req.URL.Path[strings.LastIndexByte(req.URL.Path, '/')+1:], "attempt": attempt + 1})
		}
	}
	return rc
}
