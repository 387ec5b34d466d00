package mor

import (
	"context"
	"errors"
	"net/url"
)

// apiCall is one API request: the method, its parameters (documented ones
// only: the server decides what is hashed) and the values it hashes.
type apiCall struct {
	method string
	params url.Values
	hashed []string
}

func (a apiCall) key() string { return a.method + "?" + a.params.Encode() }

// decodeFunc streams a decoded body into a result, returning MOR's own error
// message if the document holds one.
type decodeFunc func(b *body) (result any, morError string, err error)

// do makes (or reuses) one API call. Identical calls share one request; a
// successful answer is kept for later identical calls.
func (c *Client) do(ctx context.Context, call apiCall, decode decodeFunc) (any, error) {
	key := call.key()
	if !c.cfg.DisableCache {
		if v, ok := c.cache.Load(key); ok {
			c.log(ctx, LevelTrace, "reusing MOR API answer", map[string]any{"mor_method": call.method})
			return v, nil
		}
	}
	for {
		ch := c.flight.DoChan(key, func() (any, error) {
			// The request runs on the context of the caller that started
			// it, so cancelling that caller (Ctrl-C) aborts the request.
			v, err := c.send(ctx, call, decode)
			if err == nil && !c.cfg.DisableCache {
				c.cache.Store(key, v)
			}
			return v, err
		})
		select {
		case r := <-ch:
			// Another caller started the request and was cancelled: this
			// caller is still waiting, so it makes the call itself.
			if r.Err != nil && errors.Is(r.Err, context.Canceled) && ctx.Err() == nil {
				continue
			}
			return r.Val, r.Err
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}
