package mor

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/semaphore"
	"golang.org/x/time/rate"
)

// slotTransport enforces MaxConcurrentRequests, MaxRequestsPerSecond and
// the request timeout. A request first takes one of its slots, then waits
// for the rate limiter; only then does its timeout start, so waiting for
// MOR's other requests never uses it up. The slot is held until the answer
// has been read to its end and the connection can serve another request.
// A request given up on keeps its slot while MOR may still be working on
// it: at the timeout the caller gets its error, but the request goes on
// unseen until its answer has come and been dropped, or for one more
// timeout, after which its connection is closed (as it is at once on
// cancel, or for an answer not read to its end). Backoff between retries
// holds no slot. It also counts the client's HTTP requests.
type slotTransport struct {
	next    http.RoundTripper
	total   *atomic.Int64
	sem     *semaphore.Weighted
	limiter *rate.Limiter // nil: no limit
	timeout time.Duration
	// refused is MOR's refusal of the request's method for the whole run,
	// or nil (see refusalMemory). It is asked once the request has its
	// slot, on news while it waits for the rate limiter, and at its turn.
	refused func(*http.Request) error
	// budget is the client's retry budget, which may hold the request
	// back (see retryBudget.mayCall), and budgetInterval its probe
	// interval. It is asked once the request has its slot: asked earlier,
	// every read waiting for a slot would have passed while MOR was still
	// thought well.
	budget         *retryBudget
	budgetInterval time.Duration
	// notBefore is when, in Unix nanoseconds, an answer's Retry-After
	// longer than the provider waits lets requests go out again; 0: now.
	notBefore *atomic.Int64
	// news wakes a request waiting for the rate limiter to ask
	// runHoldsBack again; nil: it waits for its turn.
	news *runNews
}

// ErrNotSent is a request not sent because every recent one of the run
// failed (see retryBudget.mayCall).
var ErrNotSent = errors.New("not sent: every recent request of this run to MOR failed, so, to spare it, the provider sends at most one request per retry wait until one is answered")

// ErrAskedToWait is a request not sent because an earlier answer of the run
// asked, in Retry-After, for a longer wait than the provider makes.
var ErrAskedToWait = errors.New("not sent: an earlier answer of this run asked, in its Retry-After, for a longer wait than the provider makes, and that wait is not over")

func newSlotTransport(next http.RoundTripper, cfg Config, total *atomic.Int64, refused func(*http.Request) error, budget *retryBudget, notBefore *atomic.Int64, news *runNews) *slotTransport {
	t := &slotTransport{next: next, total: total, sem: semaphore.NewWeighted(int64(cfg.MaxConcurrentRequests)), timeout: cfg.Timeout,
		refused: refused, budget: budget, budgetInterval: cfg.RetryWaitMax, notBefore: notBefore, news: news}
	if cfg.MaxRequestsPerSecond > 0 {
		// A burst of one: no second request within 1/rate of another.
		t.limiter = rate.NewLimiter(rate.Limit(cfg.MaxRequestsPerSecond), 1)
	}
	return t
}

// mayGoOut is nil when a request that has its slot may be sent, after the
// rate limiter's wait, or the error it fails with instead. A refusal of its
// method and a spent retry budget fail it before it takes a turn; a wait
// that an answer asked for fails it if the wait outlasts its turn. While it
// waits, each time an answer brings news of the run (a refusal, a long
// Retry-After), it is judged again as things will stand at its turn, so
// that it does not wait for a turn it cannot use. At its turn it is judged
// once more, and the budget's probe taken.
func (t *slotTransport) mayGoOut(r *http.Request) error {
	if t.limiter == nil {
		return t.heldBack(r, true)
	}
	var news <-chan struct{}
	if t.news != nil {
		news = t.news.next()
	}
	if err := t.refusal(r); err != nil {
		return err
	}
	if err := t.budgetHoldsBack(false); err != nil {
		return err
	}
	if err := r.Context().Err(); err != nil {
		return err
	}
	turn := t.limiter.Reserve()
	delay := turn.Delay()
	turnAt := time.Now().Add(delay)
	if err := t.runHoldsBack(r, turnAt); err != nil {
		turn.Cancel()
		return err
	}
	if delay == 0 {
		return t.heldBack(r, true)
	}
	if deadline, ok := r.Context().Deadline(); ok && deadline.Before(turnAt) {
		// rate.Limiter.Wait refuses such a turn too, without reserving it.
		turn.Cancel()
		return ErrTurnAfterDeadline
	}
	timer := time.NewTimer(delay)
	defer timer.Stop()
	for {
		select {
		case <-timer.C:
			return t.heldBack(r, true)
		case <-r.Context().Done():
			turn.Cancel()
			return r.Context().Err()
		case <-news:
			news = t.news.next()
			if err := t.runHoldsBack(r, turnAt); err != nil {
				// As Wait does on a cancel: the limiter takes the turn back
				// if no later one was reserved (rate.Reservation.Cancel).
				turn.Cancel()
				return err
			}
		}
	}
}

// refusal is MOR's refusal of the request's method for the whole run, or
// nil.
func (t *slotTransport) refusal(r *http.Request) error {
	if t.refused == nil {
		return nil
	}
	return t.refused(r)
}

// runHoldsBack is the request's refusal, or ErrAskedToWait when the wait an
// answer asked for is not over at at, or nil.
func (t *slotTransport) runHoldsBack(r *http.Request, at time.Time) error {
	if err := t.refusal(r); err != nil {
		return err
	}
	if t.notBefore != nil && at.UnixNano() < t.notBefore.Load() {
		return ErrAskedToWait
	}
	return nil
}

// budgetHoldsBack is ErrNotSent when the retry budget holds a request back,
// or nil. sending says the request goes out if nil is returned, so the
// budget's probe is taken.
func (t *slotTransport) budgetHoldsBack(sending bool) error {
	if t.budget == nil {
		return nil
	}
	lets := t.budget.wouldLetCall
	if sending {
		lets = t.budget.mayCall
	}
	if !lets(time.Now(), t.budgetInterval) {
		return ErrNotSent
	}
	return nil
}

// heldBack is what holds a request back now: runHoldsBack, then
// budgetHoldsBack.
func (t *slotTransport) heldBack(r *http.Request, sending bool) error {
	if err := t.runHoldsBack(r, time.Now()); err != nil {
		return err
	}
	return t.budgetHoldsBack(sending)
}

// ErrTurnAfterDeadline is a request not sent because its turn under
// max_requests_per_second would come after its caller's deadline.
var ErrTurnAfterDeadline = fmt.Errorf("not sent: its turn under the requests-per-second limit would come after the deadline: %w", context.DeadlineExceeded)

// errNoAnswer is the error of a request given up on before its answer came.
var errNoAnswer = fmt.Errorf("no answer within the request timeout: %w", context.DeadlineExceeded)

type roundTrip struct {
	resp *http.Response
	err  error
}

func (t *slotTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if err := t.sem.Acquire(r.Context(), 1); err != nil {
		return nil, err
	}
	s := &slot{release: func() { t.sem.Release(1) }}
	if err := t.mayGoOut(r); err != nil {
		s.finish()
		return nil, err
	}
	t.total.Add(1)
	// Not a deadline: at the timeout the request is abandoned, not cut off;
	// nor the caller's context, which ends when the caller gives up: only
	// a cancel before that (Ctrl-C) is passed on.
	ctx, cancel := context.WithCancelCause(context.WithoutCancel(r.Context()))
	s.cancel = cancel
	s.detach = context.AfterFunc(r.Context(), func() { cancel(context.Cause(r.Context())) })
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{GotConn: func(info httptrace.GotConnInfo) { s.use(info.Conn) }})
	deadline := time.Now().Add(t.timeout)
	done := make(chan roundTrip, 1)
	go func() {
		// The body is closed by whoever receives it: the caller, or abandon.
		resp, err := t.next.RoundTrip(r.WithContext(ctx))
		done <- refuseSwitchedProtocols(resp, err)
	}()
	timer := time.NewTimer(t.timeout)
	defer timer.Stop()
	select {
	case rt := <-done:
		if rt.err != nil {
			s.finish()
			return nil, rt.err
		}
		// What is left of the timeout bounds reading the body; a body
		// still coming then has its connection closed.
		s.mu.Lock()
		s.bodyTimer = time.AfterFunc(time.Until(deadline), func() { cancel(context.DeadlineExceeded) })
		s.mu.Unlock()
		rt.resp.Body = &slotBody{ReadCloser: rt.resp.Body, slot: s}
		return rt.resp, nil
	case <-timer.C:
		s.detach()
		go s.abandon(done, t.timeout)
		return nil, errNoAnswer
	case <-r.Context().Done():
		cancel(context.Cause(r.Context()))
		go s.abandon(done, 0)
		return nil, r.Context().Err()
	}
}

// abandon waits, for at most grace, for the answer of a request given up
// on, reads it to its end and drops it, then frees the slot; after grace
// the request is cancelled, which closes its connection.
func (s *slot) abandon(done <-chan roundTrip, grace time.Duration) {
	timer := time.AfterFunc(grace, func() { s.cancel(context.DeadlineExceeded) })
	defer timer.Stop()
	if rt := <-done; rt.err == nil {
		b := &slotBody{ReadCloser: rt.resp.Body, slot: s}
		_, _ = io.Copy(io.Discard, b)
		_ = b.Close()
	}
	s.finish()
}

// slot is one request's hold on a request slot and on its connection.
type slot struct {
	mu        sync.Mutex
	conn      net.Conn // the connection the request went out on, if any
	atEnd     bool     // the answer was read to its end
	bodyTimer *time.Timer
	once      sync.Once
	cancel    context.CancelCauseFunc
	detach    func() bool // stops passing the caller's cancel on
	release   func()
}

// use records the connection the transport picked (a retry on a fresh
// connection replaces the first).
func (s *slot) use(c net.Conn) {
	if tc, ok := c.(*tls.Conn); ok {
		c = tc.NetConn()
	}
	s.mu.Lock()
	s.conn = c
	s.mu.Unlock()
}

// finish frees the slot, closing the connection first unless the answer
// was read to its end (the transport then keeps it for the next request).
func (s *slot) finish() {
	s.once.Do(func() {
		s.mu.Lock()
		conn, atEnd := s.conn, s.atEnd
		if s.bodyTimer != nil {
			s.bodyTimer.Stop()
		}
		s.mu.Unlock()
		if !atEnd && conn != nil {
			_ = conn.Close()
		}
		if s.cancel != nil {
			s.detach()
			s.cancel(context.Canceled)
		}
		s.release()
	})
}

// slotBody frees the request's slot when the body is closed.
type slotBody struct {
	io.ReadCloser
	slot *slot
}

func (b *slotBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err == io.EOF {
		b.slot.mu.Lock()
		b.slot.atEnd = true
		b.slot.mu.Unlock()
	}
	return n, err
}

func (b *slotBody) Close() error {
	err := b.ReadCloser.Close()
	b.slot.finish()
	return err
}
