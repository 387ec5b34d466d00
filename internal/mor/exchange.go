package mor

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// signedForm is a call's request parameters with the user and the hash.
func (c *Client) signedForm(call apiCall) (form url.Values, hash string) {
	hash = hashOf(c.cfg.SecretKey, call.hashed...)
	form = url.Values{}
	for k, v := range call.params {
		form[k] = v
	}
	for k, v := range call.secret {
		form[k] = v
	}
	form.Set("u", c.cfg.Username)
	// MOR 12 and older want p with every method, and a POST body keeps it
	// out of access logs; a GET URL does not, so there it goes only to
	// users_get, the one method that needs it since.
	if c.cfg.Password != "" && (c.cfg.HTTPMethod != http.MethodGet || call.method == methodUsers) {
		form.Set("p", c.cfg.Password)
	}
	form.Set("hash", hash)
	return form, hash
}

// attempt is how one HTTP request of a call ended.
type attempt struct {
	// err is nil when the answer was decoded.
	err error
	// sendErr is net/http's own error when no answer arrived.
	sendErr error
	// answer holds the status and headers of an answer that arrived (its
	// body is closed by then).
	answer *http.Response
}

// exchange makes one HTTP request of a call (the n-th) and decodes the
// answer with decode, which returns MOR's own error message if the
// document holds one.
func (c *Client) exchange(ctx context.Context, call apiCall, form url.Values, hash string, n int, decode func(*body) (string, error)) attempt {
	endpoint := c.apiBase + call.method
	var req *http.Request
	var err error
	if c.cfg.HTTPMethod == http.MethodGet {
		req, err = http.NewRequestWithContext(ctx, http.MethodGet, endpoint+"?"+form.Encode(), nil)
	} else {
		req, err = http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(form.Encode()))
		if req != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
	}
	if err != nil {
		return attempt{err: fmt.Errorf("building the %s request: %v", call.method, c.redact(err.Error(), hash))}
	}
	req.Header.Set("User-Agent", c.cfg.UserAgent)
	req.Header.Set("Accept", "text/xml, text/html;q=0.9, */*;q=0.1")
	req.Header.Set("Accept-Encoding", "gzip")

	if c.logs() {
		callFields := map[string]any{"mor_method": call.method, "http_method": c.cfg.HTTPMethod, "url": endpoint}
		for k := range call.params {
			callFields["param_"+k] = call.params.Get(k)
		}
		c.log(ctx, LevelDebug, "calling MOR API", callFields)
	}

	start := time.Now()
	resp, err := c.http.Do(req)
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return attempt{err: ctxErr}
		}
		var refused *APIError
		if errors.As(err, &refused) {
			return attempt{err: c.notAskedAgain(ctx, refused)}
		}
		te := &TransportError{Method: call.method, URL: endpoint, Proxy: c.proxy, ProxyVariable: c.proxyVariable,
			Attempts: n, Err: c.cleanTransportError(err, hash)}
		var refusal *proxyRefusal
		if errors.Is(err, ErrNotSent) {
			te.Permanent, te.Err = true, ErrNotSent
			c.log(ctx, LevelDebug, "MOR API request not sent: every recent request failed", map[string]any{"mor_method": call.method})
		} else if errors.Is(err, ErrTurnAfterDeadline) {
			te.Permanent, te.Err = true, ErrTurnAfterDeadline
			c.log(ctx, LevelDebug, "MOR API request not sent: its turn under max_requests_per_second comes after the deadline", map[string]any{"mor_method": call.method})
		} else if errors.Is(err, ErrAskedToWait) {
			te.Permanent, te.Err = true, ErrAskedToWait
			c.log(ctx, LevelDebug, "MOR API request not sent: an earlier answer's Retry-After is not over", map[string]any{"mor_method": call.method})
		} else if problem := sendProblem(err); problem != "" {
			te.Permanent = true
			te.Err = fmt.Errorf("%s (%w)", problem, te.Err)
		} else if errors.As(err, &refusal) {
			te.Permanent = true
		}
		var dnsErr *net.DNSError
		te.Unanswered = errors.Is(err, syscall.ECONNREFUSED) || errors.As(err, &dnsErr)
		return attempt{sendErr: err, err: te}
	}
	defer drainAndClose(resp)

	var fields logFields
	if c.logs() {
		fields = logFields{"mor_method": call.method, "http_status": resp.StatusCode, "attempts": n, "elapsed_ms": time.Since(start).Milliseconds()}
	}
	if resp.StatusCode/100 == 3 {
		if redirect := c.redirectError(call.method, resp, n, hash); redirect != nil {
			fields.set("location", redirect.Location)
			c.log(ctx, LevelDebug, "MOR API request redirected", fields)
			return attempt{answer: resp, err: redirect}
		}
	}
	if resp.StatusCode != http.StatusOK {
		c.log(ctx, LevelDebug, "MOR API request failed", fields)
		b, _ := openBody(resp, 64<<10)
		re := &ResponseError{Method: call.method, StatusCode: resp.StatusCode, Attempts: n, Problem: c.statusProblem(resp.StatusCode)}
		if b != nil {
			re.Excerpt, re.ExcerptIsTitle = c.excerpt(b, hash)
			if p := statusMismatchProblem(resp.StatusCode, b.head); p != "" {
				re.Problem = p
			}
			b.release()
		}
		return attempt{answer: resp, err: re}
	}

	resp.Body = &connReader{r: resp.Body}
	b, err := openBody(resp, c.cfg.MaxResponseBytes)
	if err != nil {
		return attempt{answer: resp, err: c.bodyError(ctx, call.method, resp.StatusCode, n, nil, err, hash)}
	}
	defer b.release()
	morErr, err := decode(b)
	if err != nil {
		return attempt{answer: resp, err: c.bodyError(ctx, call.method, resp.StatusCode, n, b, err, hash)}
	}
	fields.set("elapsed_ms", time.Since(start).Milliseconds())
	if morErr != "" {
		// Classified by MOR's own words; shown without control characters.
		apiErr := newAPIError(call.method, morErr)
		apiErr.Message = c.message(morErr, hash)
		// Noted before the slot is freed, so no request waiting for it goes
		// out past a refusal that holds for the whole run.
		if c.refusals.note(apiErr) {
			c.news.publish()
		}
		fields.set("mor_error", apiErr.Message)
		c.log(ctx, LevelDebug, "MOR API answered with an error", fields)
		return attempt{answer: resp, err: apiErr}
	}
	c.log(ctx, LevelDebug, "MOR API answered", fields)
	return attempt{answer: resp}
}
