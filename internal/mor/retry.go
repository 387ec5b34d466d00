package mor

import (
	"context"
	"errors"
	"net/url"
	"time"
)

func (c *Client) send(ctx context.Context, call apiCall, decode decodeFunc) (any, error) {
	hash := hashOf(c.cfg.SecretKey, call.hashed...)
	form := url.Values{}
	for k, v := range call.params {
		form[k] = v
	}
	form.Set("u", c.cfg.Username)
	if c.cfg.Password != "" {
		form.Set("p", c.cfg.Password)
	}
	form.Set("hash", hash)

	// attempts counts every HTTP request of this call. retryablehttp
	// retries failures before an answer arrives; a connection that breaks
	// while the answer is read is retried here. Both share one budget of
	// MaxRetries, so a call makes at most MaxRetries+1 requests.
	attempts := new(int)
	for {
		v, err := c.exchange(ctx, call, decode, hash, form, attempts)
		var te *TransportError
		if err == nil || !errors.As(err, &te) || !te.midBody || *attempts > c.cfg.MaxRetries || ctx.Err() != nil {
			return v, err
		}
		wait := c.http.Backoff(c.cfg.RetryWaitMin, c.cfg.RetryWaitMax, *attempts-1, nil)
		c.log(ctx, LevelDebug, "retrying MOR API request after a broken answer", map[string]any{"mor_method": call.method, "attempt": *attempts + 1, "error": te.Err.Error()})
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}
