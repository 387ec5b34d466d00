package mor

import (
	"context"
	"errors"
	"net/http"
	"sync/atomic"
	"testing"
	"time"
)

// A request the spent retry budget holds back fails before its wait for
// max_requests_per_second, not after it: against a MOR that is down, a plan
// of many reads must not take one rate-limiter interval per read to fail.
func TestSpentBudgetFailsBeforeTheRateLimiterWait(t *testing.T) {
	t.Parallel()
	budget := newRetryBudget()
	budget.tokens = 0
	budget.lastProbe = time.Now() // the probe of this interval is taken
	var sent atomic.Int64
	next := roundTripFunc(func(*http.Request) (*http.Response, error) {
		sent.Add(1)
		return nil, errors.New("not to be sent")
	})
	// One request per 1,000 seconds: a request that waits for the limiter
	// meets the context's deadline instead.
	tr := newSlotTransport(next, Config{MaxConcurrentRequests: 4, Timeout: time.Second, MaxRequestsPerSecond: 0.001, RetryWaitMax: time.Hour},
		new(atomic.Int64), nil, budget, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for i := range 3 {
		r, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://mor.invalid/billing/api/dids_get", http.NoBody)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tr.RoundTrip(r); !errors.Is(err, ErrNotSent) {
			t.Errorf("request %d: %v, want ErrNotSent at once", i+1, err)
		}
	}
	if n := sent.Load(); n != 0 {
		t.Errorf("%d requests sent, want none", n)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
