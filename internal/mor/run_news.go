package mor

import "sync"

// runNews tells the requests waiting for the rate limiter that something
// may now hold them back (a refusal for the whole run, a long Retry-After),
// so that they fail when it happens instead of when their turn comes.
type runNews struct {
	mu sync.Mutex
	ch chan struct{}
}

// next is closed at the next publish.
func (n *runNews) next() <-chan struct{} {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.ch == nil {
		n.ch = make(chan struct{})
	}
	return n.ch
}

// publish wakes everyone waiting on next.
func (n *runNews) publish() {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.ch != nil {
		close(n.ch)
		n.ch = nil
	}
}
