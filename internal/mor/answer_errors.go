package mor

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"

	"github.com/mor-terraform/terraform-provider-mor/internal/mor/xmlscan"
)

// bodyError describes a failure while reading or decoding an answer. An
// excerpt is shown only for answers that are not MOR XML at all, and holds
// no element text: a broken MOR document may hold device secrets.
func (c *Client) bodyError(ctx context.Context, method string, status, attempts int, b *body, err error, hash string) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return ctxErr
	}
	var rootErr *xmlscan.UnexpectedRootError
	var connErr *connReadError
	if errors.As(err, &connErr) {
		return &TransportError{Method: method, URL: c.apiBase + method, Proxy: c.proxy, ProxyVariable: c.proxyVariable, Attempts: attempts, midBody: true,
			Err: fmt.Errorf("the connection failed while reading the answer: %w", c.cleanTransportError(connErr.err, hash))}
	}
	re := &ResponseError{Method: method, StatusCode: status, Attempts: attempts, Err: err}
	switch {
	case errors.Is(err, xmlscan.ErrNotXML) && b != nil && isUTF16(b.head):
		re.Problem = "the answer is UTF-16 text (it starts with a UTF-16 byte-order mark), not MOR's UTF-8 XML"
	case errors.As(err, &rootErr):
		re.Problem = c.clean(unexpectedRootText(rootErr.Root), hash)
		re.Excerpt, re.ExcerptIsTitle = c.excerpt(b, hash)
	case errors.Is(err, xmlscan.ErrNotXML):
		re.Problem = err.Error()
		re.Excerpt, re.ExcerptIsTitle = c.excerpt(b, hash)
	case errors.Is(err, ErrUnexpectedAnswer):
		re.Problem = c.clean(shapeProblem(err), hash)
	case errors.Is(err, ErrValueTooLong):
		re.Problem = "answer too large: it holds a single value of over 1 MiB, which no MOR answer does"
	case errors.Is(err, xmlscan.ErrEmpty), errors.Is(err, xmlscan.ErrTruncated), errors.Is(err, ErrTooLarge):
		re.Problem = err.Error()
	case errors.Is(err, xmlscan.ErrSyntax):
		re.Problem = "the XML answer is malformed: " + c.clean(err.Error(), hash)
	default:
		re.Problem = "reading the answer failed: " + c.clean(err.Error(), hash)
	}
	c.log(ctx, LevelDebug, "MOR API answer unusable", map[string]any{"mor_method": method, "problem": re.Problem})
	return re
}

// cleanTransportError drops the *url.Error wrapper (its message holds the
// URL, and with GET the hash), names a timeout as such (Go words it
// differently depending on where the deadline struck, and a read the
// timeout cut short can fail on the connection it closed), and cleans the
// rest (see transportText).
func (c *Client) cleanTransportError(err error, hash string) error {
	var netErr net.Error
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, net.ErrClosed) || (errors.As(err, &netErr) && netErr.Timeout()) {
		return fmt.Errorf("no answer within the request timeout of %s", c.cfg.Timeout)
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return errors.New(c.transportText(err, hash))
}
