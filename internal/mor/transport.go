package mor

import (
	"io"
)

// drainAndClose reads what is left of a body (a little: an answer that failed
// to decode may be large) so the keep-alive connection can serve the next
// request, then closes it.
func drainAndClose(body io.ReadCloser) {
	_, _ = io.CopyN(io.Discard, body, 64<<10)
	_ = body.Close()
}

// connReader marks errors of the connection itself (reset, timeout, a body
// shorter than its Content-Length) so they are not taken for a truncated
// document. connReadError deliberately does not unwrap: an
// io.ErrUnexpectedEOF from the connection is not the document's EOF.
type connReader struct{ r io.ReadCloser }

type connReadError struct{ err error }

func (e *connReadError) Error() string { return e.err.Error() }

func (c *connReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if err != nil && err != io.EOF {
		err = &connReadError{err: err}
	}
	return n, err
}

func (c *connReader) Close() error { return c.r.Close() }
