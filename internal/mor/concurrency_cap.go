package mor

import (
	"io"
	"net/http"
	"sync"
	"sync/atomic"

	"golang.org/x/sync/semaphore"
)

// concurrencyCapTransport enforces MaxConcurrentRequests: it holds one of
// its slots from sending a request until its answer's body is closed.
// Backoff between retries holds no slot. It also counts the client's HTTP
// requests.
type concurrencyCapTransport struct {
	next  http.RoundTripper
	total *atomic.Int64
	sem   *semaphore.Weighted
}

func newConcurrencyCapTransport(next http.RoundTripper, maxConcurrent int, total *atomic.Int64) *concurrencyCapTransport {
	return &concurrencyCapTransport{next: next, total: total, sem: semaphore.NewWeighted(int64(maxConcurrent))}
}

func (t *concurrencyCapTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if err := t.sem.Acquire(r.Context(), 1); err != nil {
		return nil, err
	}
	t.total.Add(1)
	resp, err := t.next.RoundTrip(r)
	if err != nil {
		t.sem.Release(1)
		return nil, err
	}
	resp.Body = &slotReleasingBody{ReadCloser: resp.Body, release: func() { t.sem.Release(1) }}
	return resp, nil
}

// slotReleasingBody frees the request's slot when the body is closed.
type slotReleasingBody struct {
	io.ReadCloser
	once    sync.Once
	release func()
}

func (b *slotReleasingBody) Close() error {
	err := b.ReadCloser.Close()
	b.once.Do(b.release)
	return err
}
