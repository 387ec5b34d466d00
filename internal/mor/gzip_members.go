package mor

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"io"
)

// errAfterGzip is an answer whose gzip stream ends before the bytes do, and
// what follows is neither another gzip member nor white space.
var errAfterGzip = errors.New("the gzip answer goes on after its gzip stream ends, with bytes that are not gzip")

// gzipMembers reads a gzip stream member by member, as gzip.Reader's
// multistream mode does, but looks at what follows each member itself:
// another member is read on, white space (a line break a server appended) is
// let through, and anything else is errAfterGzip. gzip.Reader would take a
// few stray bytes for a member header cut short, and report the whole answer
// as truncated.
type gzipMembers struct {
	src *bufio.Reader
	gz  *gzip.Reader
}

func newGzipMembers(src *bufio.Reader) (*gzipMembers, error) {
	gz, err := gzip.NewReader(src)
	if err != nil {
		return nil, err
	}
	gz.Multistream(false)
	return &gzipMembers{src: src, gz: gz}, nil
}

func (g *gzipMembers) Read(p []byte) (int, error) {
	// Empty members give nothing: read on past them, as a reader that
	// returns nothing many times over is taken for one that is stuck.
	for {
		n, err := g.gz.Read(p)
		if !errors.Is(err, io.EOF) {
			return n, err
		}
		next, err := g.src.Peek(2)
		switch {
		case bytes.Equal(next, []byte{0x1f, 0x8b}):
			if err := g.gz.Reset(g.src); err != nil {
				return n, err
			}
			g.gz.Multistream(false)
			if n > 0 {
				return n, nil
			}
			continue
		case len(next) == 0 && errors.Is(err, io.EOF):
			return n, io.EOF
		case err != nil && !errors.Is(err, io.EOF):
			return n, err
		}
		return n, g.onlySpaceLeft()
	}
}

// onlySpaceLeft reads what follows the last member (capped, as every layer
// is): io.EOF when it is white space alone.
func (g *gzipMembers) onlySpaceLeft() error {
	for {
		c, err := g.src.ReadByte()
		switch {
		case errors.Is(err, io.EOF):
			return io.EOF
		case err != nil:
			return err
		case c != ' ' && c != '\t' && c != '\r' && c != '\n':
			return errAfterGzip
		}
	}
}
