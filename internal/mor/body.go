package mor

import (
	"archive/zip"
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"regexp"
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

var (
	titleRe        = regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title>`)
	firstElementRe = regexp.MustCompile(`<([A-Za-z][A-Za-z0-9_:.-]*)`)
)

// headSize is how much of an answer's start is kept for an excerpt.
const headSize = 512

// excerpt makes a short, single-line, printable start of a refused answer,
// with secrets removed. Element text can hold a record's credentials, so it
// quotes only the text before the first '<' or, for an HTML page, its
// <title> (a page's title is words for a browser tab, never record data).
// The whole start is cleaned before it is cut at the '<', which may be part
// of a secret. Where the head is not the whole answer, a secret its end runs
// through no longer matches whole: the end of the cleaned text that is the
// start of one of cutForms (the secrets' forms) is left out. A title ends
// before its </title>, so no cut runs through it. title says the text is the
// page's title.
func excerpt(head []byte, redact func(string) string, cutForms []string) (text string, title bool) {
	if isUTF16(head) {
		return "", false
	}
	s := dropInvisible(strings.ToValidUTF8(string(head), ""))
	if m := firstElementRe.FindStringSubmatch(s); m != nil && strings.EqualFold(m[1], "html") {
		if t := titleRe.FindStringSubmatch(s); t != nil {
			// A title shows as its entities decoded, and a secret written
			// with entities (&#x26;) is one to redact as well.
			out, _ := cleanText(html.UnescapeString(t[1]), 100, redact)
			return out, true
		}
		return "", false
	}
	// Redacted and folded, as secrets are matched, before the end is
	// looked at.
	s = withoutCutSecret(redact(foldSpace(redact(s))), cutForms)
	if i := strings.IndexByte(s, '<'); i >= 0 {
		s = s[:i]
	}
	out, _ := cleanText(s, 100, redact)
	return out, false
}

// withoutCutSecret is s without its longest end that is the start of one of
// forms (in any ASCII letter case): what may be a secret cut there.
func withoutCutSecret(s string, forms []string) string {
	cut := 0
	for _, f := range forms {
		for k := min(len(f)-1, len(s)); k > cut; k-- {
			if strings.EqualFold(s[len(s)-k:], f[:k]) {
				cut = k
				break
			}
		}
	}
	return strings.ToValidUTF8(s[:len(s)-cut], "")
}

// isUTF16 tells an answer that starts with a UTF-16 byte-order mark: MOR
// sends UTF-8, and the bytes after the mark are unreadable as such.
func isUTF16(head []byte) bool {
	return bytes.HasPrefix(head, []byte{0xff, 0xfe}) || bytes.HasPrefix(head, []byte{0xfe, 0xff})
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
