package mor

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// exchange makes one request (with retryablehttp's retries) and decodes the
// answer.
func (c *Client) exchange(ctx context.Context, call apiCall, decode decodeFunc, hash string, form url.Values, attempts *int) (any, error) {
	endpoint := c.apiBase + call.method
	reqCtx := context.WithValue(ctx, attemptsKey{}, attempts)
	var req *retryablehttp.Request
	var err error
	if c.cfg.HTTPMethod == http.MethodGet {
		req, err = retryablehttp.NewRequestWithContext(reqCtx, http.MethodGet, endpoint+"?"+form.Encode(), nil)
	} else {
		req, err = retryablehttp.NewRequestWithContext(reqCtx, http.MethodPost, endpoint, strings.NewReader(form.Encode()))
		if req != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
	}
	if err != nil {
		return nil, fmt.Errorf("building the %s request: %v", call.method, c.redact(err.Error(), hash))
	}
	req.Header.Set("User-Agent", c.cfg.UserAgent)
	req.Header.Set("Accept", "text/xml, text/html;q=0.9, */*;q=0.1")

	logFields := map[string]any{"mor_method": call.method, "http_method": c.cfg.HTTPMethod, "url": endpoint}
	for k := range call.params {
		logFields["param_"+k] = call.params.Get(k)
	}
	c.log(ctx, LevelDebug, "calling MOR API", logFields)

	start := time.Now()
	resp, err := c.http.Do(req)
	if err != nil {
		if resp != nil {
			_ = resp.Body.Close()
		}
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, ctxErr
		}
		return nil, &TransportError{Method: call.method, URL: endpoint, Attempts: *attempts, Err: c.cleanTransportError(err, hash)}
	}
	defer drainAndClose(resp.Body)

	fields := map[string]any{"mor_method": call.method, "http_status": resp.StatusCode, "attempts": *attempts, "elapsed_ms": time.Since(start).Milliseconds()}
	if resp.StatusCode != http.StatusOK {
		c.log(ctx, LevelDebug, "MOR API request failed", fields)
		b, _ := openBody(resp, 64<<10)
		var ex string
		if b != nil {
			ex = excerpt(b.head, func(s string) string { return c.redact(s, hash) })
			b.release()
		}
		return nil, &ResponseError{Method: call.method, StatusCode: resp.StatusCode, Attempts: *attempts,
			Problem: fmt.Sprintf("HTTP status %d from the server or a proxy in front of it (MOR itself always answers 200)", resp.StatusCode), Excerpt: ex}
	}

	resp.Body = &connReader{r: resp.Body}
	b, err := openBody(resp, c.cfg.MaxResponseBytes)
	if err != nil {
		return nil, c.bodyError(ctx, call.method, resp.StatusCode, *attempts, nil, err, hash)
	}
	defer b.release()
	result, morErr, err := decode(b)
	if err != nil {
		return nil, c.bodyError(ctx, call.method, resp.StatusCode, *attempts, b.head, err, hash)
	}
	fields["elapsed_ms"] = time.Since(start).Milliseconds()
	if morErr != "" {
		apiErr := newAPIError(call.method, c.redact(morErr, hash))
		fields["mor_error"] = apiErr.Message
		c.log(ctx, LevelDebug, "MOR API answered with an error", fields)
		return nil, apiErr
	}
	c.log(ctx, LevelDebug, "MOR API answered", fields)
	return result, nil
}
