package mor

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// send makes the HTTP requests of one call: the first, then a retry after
// each transient failure until one succeeds or MaxRetries retries are spent.
// This budget is the call's alone and every kind of transient failure
// draws on it, so a call makes at most MaxRetries+1 requests.
func (c *Client) send(ctx context.Context, call apiCall, decode func(*body) (string, error)) error {
	form, hash := c.signedForm(call)
	for n := 1; ; n++ {
		a := c.exchange(ctx, call, form, hash, n, decode)
		if a.err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if n > c.maxRetries || !transient(ctx, a) {
			return a.err
		}
		wait := c.backoff(n, a.answer)
		c.log(ctx, LevelDebug, "retrying MOR API request", map[string]any{
			"mor_method": call.method, "attempt": n + 1, "wait_ms": wait.Milliseconds(), "error": a.err.Error()})
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// transient says whether a failed request may succeed if made again:
//   - no answer arrived (connection refused or reset, a timeout), except
//     for errors that repeat, such as an untrusted TLS certificate;
//   - the answer is a 429 or a 5xx other than 501 (from a proxy: MOR itself
//     always answers 200, so its own error answers are never retried);
//   - the connection broke while the answer was being read.
//
// The first two are go-retryablehttp's DefaultRetryPolicy.
func transient(ctx context.Context, a attempt) bool {
	var te *TransportError
	if errors.As(a.err, &te) && te.midBody {
		return true
	}
	if a.sendErr == nil && (a.answer == nil || a.answer.StatusCode == http.StatusOK) {
		return false
	}
	retry, _ := retryablehttp.DefaultRetryPolicy(ctx, a.answer, a.sendErr)
	return retry
}

// backoff is the wait before the retry that follows the n-th request:
// exponential from RetryWaitMin, or what a 429 or 503 asks for in
// Retry-After, never more than RetryWaitMax (a proxy asking for an hour
// must not hang a plan).
func (c *Client) backoff(n int, answer *http.Response) time.Duration {
	return min(retryablehttp.DefaultBackoff(c.cfg.RetryWaitMin, c.cfg.RetryWaitMax, n-1, answer), c.cfg.RetryWaitMax)
}
