package mor

import (
	"context"
	"crypto/tls"
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
// has been read to its end and the connection can serve another request;
// a request given up on (timeout, cancel, broken answer) has its connection
// closed before the slot is freed, so MOR is never asked for more while it
// may still be working on it. Backoff between retries holds no slot. It
// also counts the client's HTTP requests.
type slotTransport struct {
	next    http.RoundTripper
	total   *atomic.Int64
	sem     *semaphore.Weighted
	limiter *rate.Limiter // nil: no limit
	timeout time.Duration
}

func newSlotTransport(next http.RoundTripper, cfg Config, total *atomic.Int64) *slotTransport {
	t := &slotTransport{next: next, total: total, sem: semaphore.NewWeighted(int64(cfg.MaxConcurrentRequests)), timeout: cfg.Timeout}
	if cfg.MaxRequestsPerSecond > 0 {
		// A burst of one: no second request within 1/rate of another.
		t.limiter = rate.NewLimiter(rate.Limit(cfg.MaxRequestsPerSecond), 1)
	}
	return t
}

func (t *slotTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if err := t.sem.Acquire(r.Context(), 1); err != nil {
		return nil, err
	}
	s := &slot{release: func() { t.sem.Release(1) }}
	if t.limiter != nil {
		if err := t.limiter.Wait(r.Context()); err != nil {
			s.finish()
			return nil, err
		}
	}
	t.total.Add(1)
	ctx, cancel := context.WithTimeout(r.Context(), t.timeout)
	s.cancel = cancel
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{GotConn: func(info httptrace.GotConnInfo) { s.use(info.Conn) }})
	resp, err := t.next.RoundTrip(r.WithContext(ctx))
	if err != nil {
		s.finish()
		return nil, err
	}
	resp.Body = &slotBody{ReadCloser: resp.Body, slot: s}
	return resp, nil
}

// slot is one request's hold on a request slot and on its connection.
type slot struct {
	mu      sync.Mutex
	conn    net.Conn // the connection the request went out on, if any
	atEnd   bool     // the answer was read to its end
	once    sync.Once
	cancel  context.CancelFunc
	release func()
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
		s.mu.Unlock()
		if !atEnd && conn != nil {
			_ = conn.Close()
		}
		if s.cancel != nil {
			s.cancel()
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
