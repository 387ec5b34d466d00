package mor

import (
	"archive/zip"
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/mor-terraform/terraform-provider-mor/internal/mor/xmlscan"
)

// DefaultMaxResponseBytes caps a decoded answer: room for the largest DID
// lists (DESIGN.md sizes it) while keeping a gzip bomb from filling memory
// (decoding streams, so the cap bounds work, not RAM).
const DefaultMaxResponseBytes int64 = 256 << 20

const readerSize = 64 << 10

var readerPool sync.Pool // of *bufio.Reader

func getReader(r io.Reader) *bufio.Reader {
	br, ok := readerPool.Get().(*bufio.Reader)
	if !ok {
		return bufio.NewReaderSize(r, readerSize)
	}
	br.Reset(r)
	return br
}

func putReader(br *bufio.Reader) {
	br.Reset(nil)
	readerPool.Put(br)
}

// capReader fails with errTooLarge once more than n bytes are read.
type capReader struct {
	r   io.Reader
	n   int64
	err error
}

func newCapReader(r io.Reader, limit int64) *capReader {
	return &capReader{r: r, n: limit, err: fmt.Errorf("%w: the decoded answer exceeds %d bytes (raise the limit if this MOR really holds that much)", ErrTooLarge, limit)}
}

func (c *capReader) Read(p []byte) (int, error) {
	if c.n <= 0 {
		var one [1]byte
		if k, err := c.r.Read(one[:]); k > 0 {
			return 0, c.err
		} else {
			return 0, err
		}
	}
	if int64(len(p)) > c.n {
		p = p[:c.n]
	}
	k, err := c.r.Read(p)
	c.n -= int64(k)
	return k, err
}

// body is a decoded answer ready for walkMOR.
type body struct {
	r *bufio.Reader
	// head is a copy of the first bytes, for an excerpt when the answer
	// turns out not to be a MOR document; headWhole says it holds the whole
	// answer, which ended cleanly before headSize bytes.
	head      []byte
	headWhole bool
	readers   []*bufio.Reader
}

func (b *body) release() {
	for _, r := range b.readers {
		putReader(r)
	}
	b.readers = nil
}

// openBody undoes Content-Encoding: gzip and then sniffs the payload: a gzip
// or zip file (devices_get is documented to send one, and proxies compress)
// is unpacked; anything else is taken as XML. Every layer is capped at limit.
func openBody(resp *http.Response, limit int64) (*body, error) {
	b := &body{}
	var r io.Reader = resp.Body
	if strings.EqualFold(strings.TrimSpace(resp.Header.Get("Content-Encoding")), "gzip") {
		br := getReader(newCapReader(r, limit))
		b.readers = append(b.readers, br)
		gz, err := newGzipMembers(br)
		if err != nil {
			b.release()
			return nil, fmt.Errorf("%w (%w)", errContentEncoding, err)
		}
		r = &contentEncodingReader{gz}
	}
	for layer := 0; ; layer++ {
		br := getReader(newCapReader(r, limit))
		b.readers = append(b.readers, br)
		magic, _ := br.Peek(4)
		switch {
		case layer < 2 && bytes.HasPrefix(magic, []byte{0x1f, 0x8b}):
			gz, err := newGzipMembers(br)
			if err != nil {
				b.release()
				return nil, fmt.Errorf("the gzip answer is corrupt: %w", err)
			}
			r = gz
		case layer < 2 && bytes.HasPrefix(magic, []byte("PK\x03\x04")):
			// The member is capped by the next round's capReader.
			member, err := openZipMember(br)
			if err != nil {
				b.release()
				return nil, err
			}
			r = member
		default:
			head, err := br.Peek(headSize)
			b.head = append([]byte(nil), head...)
			b.headWhole = errors.Is(err, io.EOF)
			b.r = br
			return b, nil
		}
	}
}

// openZipMember reads a zip archive (zip needs random access, so the
// compressed bytes are held in memory, capped) and opens its one file. MOR's
// zip holds one XML file; of several, nothing tells which is the answer.
func openZipMember(r io.Reader) (io.Reader, error) {
	raw, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		return nil, fmt.Errorf("the zip answer is corrupt: %w", err)
	}
	var files []*zip.File
	for _, f := range zr.File {
		if !f.FileInfo().IsDir() {
			files = append(files, f)
		}
	}
	switch {
	case len(files) == 0:
		return nil, fmt.Errorf("the zip answer holds no file")
	case len(files) > 1:
		return nil, fmt.Errorf("the zip answer holds %d files, where MOR's holds one: nothing tells which is the answer", len(files))
	}
	rc, err := files[0].Open()
	if err != nil {
		return nil, fmt.Errorf("the zip answer is corrupt: %w", err)
	}
	return rc, nil
}

// walk streams the answer through h (see xmlscan.Walk); a text run longer
// than any MOR answer holds is an answer too large.
func (b *body) walk(h xmlscan.Handler) (morError string, err error) {
	morError, err = xmlscan.Walk(b.r, h)
	if errors.Is(err, xmlscan.ErrTextTooLong) {
		err = fmt.Errorf("%w: %w", ErrTooLarge, err)
	}
	return morError, err
}
