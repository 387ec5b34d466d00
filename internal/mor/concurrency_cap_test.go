package mor

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
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
		new(atomic.Int64), nil, budget, nil, nil)
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

// A request whose turn under the rate limit would come after its caller's
// deadline fails at once, as rate.Limiter.Wait fails it.
func TestTurnAfterTheDeadlineFailsAtOnce(t *testing.T) {
	t.Parallel()
	rig := newWaitingRig(t, nil)
	if err := rig.send(t.Context()); err != nil {
		t.Fatalf("first request: %v", err)
	}
	// The next turn is rigTurnInterval away: a request with half that left
	// fails.
	short, cancel := context.WithTimeout(t.Context(), rigTurnInterval/2)
	defer cancel()
	if err := rig.send(short); !errors.Is(err, ErrTurnAfterDeadline) || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("request whose turn is after its deadline: %v, want ErrTurnAfterDeadline", err)
	}
}

// rigTurnInterval is the waitingRig's rate limit: a request after the
// first waits for its turn until the test ends it.
const rigTurnInterval = time.Hour

// waitingRig is a slotTransport in front of a real HTTP server, limited to
// one request per rigTurnInterval.
type waitingRig struct {
	tr        *slotTransport
	url       string
	news      *runNews
	notBefore *atomic.Int64
}

func newWaitingRig(t *testing.T, budget *retryBudget) *waitingRig {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok")) }))
	t.Cleanup(srv.Close)
	rig := &waitingRig{url: srv.URL, news: new(runNews), notBefore: new(atomic.Int64)}
	next := &http.Transport{}
	t.Cleanup(next.CloseIdleConnections)
	cfg := Config{MaxConcurrentRequests: 4, Timeout: 5 * time.Second, MaxRequestsPerSecond: 1 / rigTurnInterval.Seconds(), RetryWaitMax: time.Second}
	rig.tr = newSlotTransport(next, cfg, new(atomic.Int64), nil, budget, rig.notBefore, rig.news)
	return rig
}

func (rig *waitingRig) send(ctx context.Context) error {
	r, err := http.NewRequestWithContext(ctx, http.MethodPost, rig.url+"/billing/api/dids_get", http.NoBody)
	if err != nil {
		return err
	}
	resp, err := rig.tr.RoundTrip(r)
	if err == nil {
		_ = resp.Body.Close()
	}
	return err
}

// waiter sends a request after the first, which takes the interval's turn,
// with ctx, after calling beforeSecond; it returns once that request waits
// for its turn (the limiter's tokens at its last update, which TokensAt a
// time before it reads, are below zero), and fails the test if the
// request ended instead.
func (rig *waitingRig) waiter(t *testing.T, ctx context.Context, beforeSecond func()) <-chan error {
	t.Helper()
	if err := rig.send(ctx); err != nil {
		t.Fatalf("first request: %v", err)
	}
	beforeSecond()
	done := make(chan error, 1)
	go func() { done <- rig.send(ctx) }()
	for rig.tr.limiter.TokensAt(time.Time{}) >= 0 {
		select {
		case err := <-done:
			t.Fatalf("the second request ended instead of waiting for its turn: %v", err)
		case <-time.After(time.Millisecond):
		}
	}
	return done
}

// publishAndSettle publishes news and returns the waiting request's error if
// it ended at once, or nil once the request has taken the news: it asks
// for the next news before it judges this one, so a request the news ends
// may still end after nil is returned.
func (rig *waitingRig) publishAndSettle(done <-chan error) error {
	rig.news.publish()
	for {
		rig.news.mu.Lock()
		taken := rig.news.ch != nil
		rig.news.mu.Unlock()
		if taken {
			return nil
		}
		select {
		case err := <-done:
			return err
		case <-time.After(time.Millisecond):
		}
	}
}

// A request arriving while a wait that an answer asked for is not over
// waits for its turn when the wait ends before it, as a request already
// waiting does on the news of that wait.
func TestARequestWhoseTurnComesAfterAHoldWaitsForIt(t *testing.T) {
	t.Parallel()
	rig := newWaitingRig(t, nil)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	done := rig.waiter(t, ctx, func() { rig.notBefore.Store(time.Now().Add(rigTurnInterval / 2).UnixNano()) })
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("the waiting request ended with %v; want it waiting for its turn until the cancel (context.Canceled)", err)
	}
}

// News holds a waiting request back only as things will stand at its turn:
// a Retry-After whose wait ends before the turn does not, nor does the retry
// budget, which is asked at the turn, when its probe may be due.
func TestNewsJudgesAWaitingRequestAtItsTurn(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		setUp func(*waitingRig, *retryBudget)
	}{
		{"a Retry-After that ends before the turn", func(rig *waitingRig, _ *retryBudget) {
			rig.notBefore.Store(time.Now().Add(rigTurnInterval / 2).UnixNano())
		}},
		{"a spent retry budget", func(_ *waitingRig, budget *retryBudget) {
			budget.mu.Lock()
			budget.tokens, budget.lastProbe = 0, time.Now()
			budget.mu.Unlock()
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			budget := newRetryBudget()
			rig := newWaitingRig(t, budget)
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			done := rig.waiter(t, ctx, func() {})
			tc.setUp(rig, budget)
			if err := rig.publishAndSettle(done); err != nil {
				t.Fatalf("the news ended the waiting request: %v; want it waiting for its turn", err)
			}
			cancel()
			if err := <-done; !errors.Is(err, context.Canceled) {
				t.Errorf("the waiting request ended with %v; want it waiting for its turn until the cancel (context.Canceled)", err)
			}
		})
	}
}
