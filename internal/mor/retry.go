package mor

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// send makes the HTTP requests of one call: the first, then a retry after
// each transient failure until one succeeds or MaxRetries retries are spent.
// Every kind of transient failure draws on this per-call count, so a call
// makes at most MaxRetries+1 requests; retries also need the client-wide
// retry budget, so a MOR that fails everything is not asked again and again.
func (c *Client) send(ctx context.Context, call apiCall, decode func(*body) (string, error)) error {
	if refused := c.refusals.of(call.method); refused != nil {
		return c.notAskedAgain(ctx, refused)
	}
	form, hash := c.signedForm(call)
	for n := 1; ; n++ {
		a := c.exchange(ctx, call, form, hash, n, decode)
		var apiErr *APIError
		if a.err == nil || (errors.As(a.err, &apiErr) && !apiErr.Repeated) {
			c.budget.succeeded()
		}
		if a.err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if !transient(ctx, a) {
			return a.err
		}
		budgetLeft := c.budget.failed()
		wait, tooLong := c.backoff(n, a.answer)
		if tooLong {
			// The server's wait holds for every request of the run, with
			// retries left to this call or not.
			c.holdRequestsUntil(time.Now().Add(min(wait, maxNotBefore)))
			c.log(ctx, LevelDebug, "MOR API request not retried: Retry-After asks for a longer wait than the provider makes", map[string]any{"mor_method": call.method, "attempts": n})
			return &retryLaterError{err: a.err, longest: c.cfg.RetryWaitMax}
		}
		if n > c.maxRetries {
			return a.err
		}
		if !budgetLeft {
			c.log(ctx, LevelDebug, "MOR API request not retried: the retry budget is spent", map[string]any{"mor_method": call.method, "attempts": n})
			return &budgetSpentError{err: a.err}
		}
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
	if errors.As(a.err, &te) && te.Permanent {
		return false
	}
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
// Retry-After, but never less than RetryWaitMin. A Retry-After longer than
// RetryWaitMax is tooLong: the server says a retry within it would fail,
// and waiting longer would hang the plan.
func (c *Client) backoff(n int, answer *http.Response) (wait time.Duration, tooLong bool) {
	if asked, ok := retryAfter(answer); ok {
		return max(asked, c.cfg.RetryWaitMin), asked > c.cfg.RetryWaitMax
	}
	return retryablehttp.DefaultBackoff(c.cfg.RetryWaitMin, c.cfg.RetryWaitMax, n-1, nil), false
}

// retryAfter is the wait a 429 or 503 asks for in Retry-After: digits
// (seconds), or an HTTP date. It is read here, not by go-retryablehttp,
// whose seconds overflow a Duration into any value, even none at all, for
// a number past what a Duration holds: such a number asks for the longest.
func retryAfter(answer *http.Response) (time.Duration, bool) {
	if answer == nil || (answer.StatusCode != http.StatusTooManyRequests && answer.StatusCode != http.StatusServiceUnavailable) {
		return 0, false
	}
	value := answer.Header.Get("Retry-After")
	if value != "" && strings.Trim(value, "0123456789") == "" {
		seconds, err := strconv.ParseUint(value, 10, 63)
		if err != nil || seconds > uint64(math.MaxInt64/time.Second) {
			return math.MaxInt64, true
		}
		return time.Duration(seconds) * time.Second, true
	}
	if at, err := http.ParseTime(value); err == nil {
		return max(time.Until(at), 0), true
	}
	return 0, false
}

// The client-wide retry budget, after gRPC's retry throttling: it holds
// RetryBudgetTokens tokens at first; each transient failure takes one, each
// answer from MOR gives back RetryBudgetRefill, and a retry is made only
// while more than half the tokens are left. So a MOR that fails everything
// gets at most RetryBudgetTokens requests, then one per RetryWaitMax (see
// mayCall), while failures among mostly good answers are retried as
// max_retries says.
const (
	RetryBudgetTokens  = 16
	RetryBudgetRefill  = 0.5
	RetryBudgetRetries = RetryBudgetTokens/2 - 1
)

type retryBudget struct {
	mu     sync.Mutex
	tokens float64
	// lastProbe is when the last call was let through an empty budget.
	lastProbe time.Time
}

// mayCall says whether a call may send its first request. An empty budget
// means every recent request failed (a MOR down, or hanging): then one call
// per interval goes out to see whether MOR is back, and the others fail at
// once, so that a plan of many reads neither piles requests on a struggling
// MOR nor waits out each read's timeouts.
func (b *retryBudget) mayCall(now time.Time, interval time.Duration) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.tokens > 0 {
		return true
	}
	if now.Sub(b.lastProbe) >= interval {
		b.lastProbe = now
		return true
	}
	return false
}

// wouldLetCall is mayCall without taking the probe: asked before a wait,
// so that a call the budget holds back fails before waiting, not after.
func (b *retryBudget) wouldLetCall(now time.Time, interval time.Duration) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.tokens > 0 || now.Sub(b.lastProbe) >= interval
}

func newRetryBudget() *retryBudget { return &retryBudget{tokens: RetryBudgetTokens} }

// failed takes a token for a transient failure and says whether a retry
// may follow.
func (b *retryBudget) failed() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.tokens = max(0, b.tokens-1)
	return b.tokens > RetryBudgetTokens/2
}

func (b *retryBudget) succeeded() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.tokens = min(RetryBudgetTokens, b.tokens+RetryBudgetRefill)
}

// budgetSpentError is a transient failure left unretried because the
// client-wide retry budget is spent.
type budgetSpentError struct{ err error }

func (e *budgetSpentError) Error() string {
	return fmt.Sprintf("%v; not retried: too many of this run's requests to MOR failed, so the provider stopped retrying to spare it", e.err)
}

func (e *budgetSpentError) Unwrap() error { return e.err }

// maxNotBefore bounds a Retry-After kept for the run, so that the time it
// ends at stays within what a Duration from now can hold.
const maxNotBefore = 100 * 365 * 24 * time.Hour

// holdRequestsUntil keeps end as the time requests may go out again, unless
// another answer asked for a later one: a shorter wait must not cut a
// longer one short.
func (c *Client) holdRequestsUntil(end time.Time) {
	n := end.UnixNano()
	for {
		old := c.notBefore.Load()
		if old >= n {
			return
		}
		if c.notBefore.CompareAndSwap(old, n) {
			c.news.publish()
			return
		}
	}
}

// retryLaterError is a transient failure left unretried because its
// Retry-After asks for a longer wait than the provider makes.
type retryLaterError struct {
	err     error
	longest time.Duration
}

func (e *retryLaterError) Error() string {
	return fmt.Sprintf("%v; not retried: its Retry-After asks for a longer wait than the provider makes (%v), so try again later", e.err, e.longest)
}

func (e *retryLaterError) Unwrap() error { return e.err }
