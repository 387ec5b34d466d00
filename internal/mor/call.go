package mor

import (
	"context"
	"errors"
	"net/url"
	"sync"
)

// apiCall is one API request: the method, its parameters (documented ones
// only: the server decides what is hashed) and the values it hashes.
type apiCall struct {
	method string
	params url.Values
	hashed []string
	// secret holds parameters that are credentials: sent, but neither
	// logged nor part of the call's key (they are the client's own).
	secret url.Values
}

func (a apiCall) key() string { return a.method + "?" + a.params.Encode() }

// endpoint makes the calls whose answers decode to a T. Identical calls
// share one request, and a successful answer is kept for later identical
// calls (unless Config.DisableCache). golang.org/x/sync/singleflight would
// share the requests too, but hands results back untyped.
type endpoint[T any] struct {
	// decode streams an answer into a T, returning MOR's own error message
	// if the document holds one.
	decode func(b *body) (result T, morError string, err error)

	mu    sync.Mutex
	calls map[string]*sharedCall[T] // by apiCall.key; in flight or kept
}

// sharedCall is one request and, once done is closed, its outcome.
type sharedCall[T any] struct {
	done   chan struct{}
	result T
	err    error
}

// call makes (or shares, or reuses) one API call.
func (e *endpoint[T]) call(ctx context.Context, c *Client, call apiCall) (T, error) {
	key := call.key()
	for {
		e.mu.Lock()
		sc, found := e.calls[key]
		if !found {
			if e.calls == nil {
				e.calls = map[string]*sharedCall[T]{}
			}
			sc = &sharedCall[T]{done: make(chan struct{})}
			e.calls[key] = sc
		}
		e.mu.Unlock()

		if !found {
			return e.run(ctx, c, call, sc)
		}

		kept := isClosed(sc.done)
		select {
		case <-sc.done:
		case <-ctx.Done():
			var none T
			return none, ctx.Err()
		}
		// The caller that made the request was cancelled while this one
		// still waits: this one makes the call itself.
		if errors.Is(sc.err, context.Canceled) && ctx.Err() == nil {
			continue
		}
		if kept && sc.err == nil {
			c.log(ctx, LevelTrace, "reusing MOR API answer", map[string]any{"mor_method": call.method})
		}
		return sc.result, sc.err
	}
}

// run makes the request of sc on ctx, the context of the caller that
// started it, so cancelling that caller (Ctrl-C) aborts the request.
func (e *endpoint[T]) run(ctx context.Context, c *Client, call apiCall, sc *sharedCall[T]) (T, error) {
	defer close(sc.done)
	var result T
	err := c.send(ctx, call, func(b *body) (string, error) {
		var morError string
		var err error
		result, morError, err = e.decode(b)
		return morError, err
	})
	if err != nil {
		var none T
		result = none
	}
	sc.result, sc.err = result, err
	// Forgotten before done is closed, so no caller finds a failed call
	// after it has failed.
	if err != nil || c.cfg.DisableCache {
		e.forget(call.key())
	}
	return result, err
}

// forget drops a call that must not be reused; waiters already hold it.
func (e *endpoint[T]) forget(key string) {
	e.mu.Lock()
	delete(e.calls, key)
	e.mu.Unlock()
}

func isClosed(ch chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// emptyIfNothingFound ends a call whose answer is a list: MOR's own
// "nothing found" answer is an empty list, never an error.
func emptyIfNothingFound[T any](items []T, err error) ([]T, error) {
	switch {
	case errors.Is(err, ErrNothingFound):
		return []T{}, nil
	case err != nil:
		return nil, err
	}
	return items, nil
}
