// Package xmlscan decodes MOR API answers as a stream.
//
// MOR answers are small-vocabulary, attribute-free, shallow XML documents.
// encoding/xml is slow enough on them that parsing would dominate a long
// list's download (DESIGN.md), so this package holds a streaming scanner
// for exactly the XML subset MOR (and anything in front of it) can send: the
// declaration, comments, DOCTYPE, CDATA, elements (attributes are skipped)
// and text with the five predefined and numeric character references.
// Anything outside that subset is a syntax error, never a silent guess.
// Walk drives a Handler over a document and picks out MOR's own error
// message; Records collects the decoded records.
package xmlscan

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
)

// maxDepth bounds nesting; MOR never goes deeper than 4.
const maxDepth = 32

// maxText bounds one run of text. MOR's longest values are comments and
// codec lists; a megabyte of text between two tags is no MOR answer (a gzip
// bomb of spaces, say), and refusing it keeps the buffer bounded.
const maxText = 1 << 20

// maxMarkup bounds one tag, comment, processing instruction or declaration,
// for the same reason.
const maxMarkup = 1 << 20

// errMarkupTooLong is markup longer than maxMarkup.
var errMarkupTooLong = SyntaxErrorf("markup longer than 1 MiB")

// ErrTextTooLong is a run of text longer than any MOR answer holds.
var ErrTextTooLong = errors.New("a text run of over 1 MiB, which no MOR answer holds")

type xmlEvent uint8

const (
	evStart xmlEvent = iota + 1
	evEnd
	evText
	evEOF
	// evSkip is markup that makes no event: a comment or a processing
	// instruction. next never returns it.
	evSkip
	// evDeclaration is a declaration (<!DOCTYPE …>), which XML allows only
	// before the root element.
	evDeclaration
)

// ErrSyntax is wrapped by every malformed-document error of the scanner.
var ErrSyntax = errors.New("malformed XML")

type xmlScanner struct {
	r *bufio.Reader
	// names holds the names this document met that known lacks (nil
	// until it meets one); publish offers them to known at its end.
	names map[string]string
	// name holds the element name of an evStart event, and of the evEnd
	// of a self-closing element.
	name string
	// endName holds the raw name of an evEnd event read from an end tag
	// (nil after a self-closing element); valid until the next call. End
	// tags are compared, not interned: see endIs.
	endName []byte
	// text accumulates the decoded text of evText events: each appends to
	// it, and the walker empties it, so the text of a leaf is copied once.
	text []byte
	// pendingEnd is set after a self-closing start tag, whose end event is
	// delivered by the next call.
	pendingEnd bool
	// markup is set when text has been read up to a '<' and the '<' with it:
	// the next call reads the markup it opens.
	markup bool
}

func newXMLScanner(r *bufio.Reader) *xmlScanner {
	return &xmlScanner{r: r}
}

// SyntaxErrorf is a malformed-document error: it wraps ErrSyntax.
func SyntaxErrorf(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrSyntax}, args...)...)
}

// unexpectedEOF turns a mid-markup EOF into io.ErrUnexpectedEOF, which the
// caller reports as a truncated answer.
func unexpectedEOF(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}

// next returns the next event. A run of comments or processing instructions
// is skipped in this loop, not by recursion: however long the run, the stack
// stays as it is.
func (s *xmlScanner) next() (xmlEvent, error) {
	for {
		ev, err := s.token()
		if ev != evSkip || err != nil {
			return ev, err
		}
	}
}

// token reads one piece of markup or run of text.
func (s *xmlScanner) token() (xmlEvent, error) {
	if s.pendingEnd {
		s.pendingEnd = false
		s.endName = nil
		return evEnd, nil
	}
	if !s.markup {
		b, err := s.r.ReadByte()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return evEOF, nil
			}
			return 0, err
		}
		if b != '<' {
			if err := s.r.UnreadByte(); err != nil {
				return 0, err
			}
			return s.readText()
		}
	}
	s.markup = false
	c, err := s.r.ReadByte()
	if err != nil {
		return 0, unexpectedEOF(err)
	}
	switch c {
	case '/':
		tag, err := s.readUntil('>')
		if err != nil {
			return 0, err
		}
		// The walker checks the name against the open element's (endIs),
		// which is also what makes it valid.
		s.endName = trimRightSpace(tag)
		return evEnd, nil
	case '?':
		if err := s.skipPast("?>"); err != nil {
			return 0, err
		}
		return evSkip, nil
	case '!':
		return s.readBang()
	default:
		if err := s.r.UnreadByte(); err != nil {
			return 0, err
		}
		return s.readStartTag()
	}
}

// readText reads character data up to the next '<' (which it consumes) or
// EOF, and appends it to s.text with its references decoded.
func (s *xmlScanner) readText() (xmlEvent, error) {
	for {
		if len(s.text) > maxText {
			return 0, ErrTextTooLong
		}
		chunk, err := s.r.ReadSlice('<')
		switch {
		case err == nil:
			if err := appendUnescaped(&s.text, chunk[:len(chunk)-1]); err != nil {
				return 0, err
			}
			s.markup = true
			return evText, nil
		case errors.Is(err, bufio.ErrBufferFull):
			// A reference may straddle the buffer boundary: finish it by
			// reading on to its ';'.
			cut := len(chunk)
			if i := bytes.LastIndexByte(chunk, '&'); i >= 0 && bytes.IndexByte(chunk[i:], ';') < 0 {
				cut = i
			}
			if cut == 0 {
				return 0, SyntaxErrorf("unterminated character reference")
			}
			if err := appendUnescaped(&s.text, chunk[:cut]); err != nil {
				return 0, err
			}
			if cut < len(chunk) {
				rest := append([]byte(nil), chunk[cut:]...)
				more, err := s.r.ReadSlice(';')
				if err != nil {
					return 0, SyntaxErrorf("unterminated character reference")
				}
				rest = append(rest, more...)
				if err := appendUnescaped(&s.text, rest); err != nil {
					return 0, err
				}
			}
		case errors.Is(err, io.EOF):
			if err := appendUnescaped(&s.text, chunk); err != nil {
				return 0, err
			}
			return evText, nil
		default:
			return 0, err
		}
	}
}

func (s *xmlScanner) readStartTag() (xmlEvent, error) {
	tag, err := s.readUntil('>')
	if err != nil {
		return 0, err
	}
	// A '>' inside a quoted attribute value ends ReadSlice early: read on
	// until the quotes balance, looking at each byte once. MOR sends no
	// attributes; HTML pages do.
	if quote := openQuoteAfter(0, tag); quote != 0 {
		buf := append([]byte(nil), tag...)
		for quote != 0 {
			more, err := s.readUntil('>')
			if err != nil {
				return 0, err
			}
			quote = openQuoteAfter(quote, more)
			buf = append(append(buf, '>'), more...)
			if len(buf) > maxMarkup {
				return 0, errMarkupTooLong
			}
		}
		tag = buf
	}
	selfClosing := len(tag) > 0 && tag[len(tag)-1] == '/'
	if selfClosing {
		tag = tag[:len(tag)-1]
	}
	end := 0
	for end < len(tag) && tag[end] != ' ' && tag[end] != '\t' && tag[end] != '\r' && tag[end] != '\n' {
		end++
	}
	name, ok := s.intern(tag[:end])
	if !ok {
		// The bytes are not quoted: an unescaped '<' in a value (a
		// password, say) makes the rest of that value look like a tag.
		return 0, SyntaxErrorf("a malformed start tag (%d bytes)", end)
	}
	s.name = name
	s.pendingEnd = selfClosing
	return evStart, nil
}

// readBang handles "<!": comments, CDATA sections and DOCTYPE.
func (s *xmlScanner) readBang() (xmlEvent, error) {
	head, err := s.r.Peek(2)
	if err == nil && string(head) == "--" {
		_, _ = s.r.Discard(2)
		if err := s.skipPast("-->"); err != nil {
			return 0, err
		}
		return evSkip, nil
	}
	head, err = s.r.Peek(7)
	if err == nil && string(head) == "[CDATA[" {
		_, _ = s.r.Discard(7)
		if err := s.copyUntil("]]>", &s.text, maxText, ErrTextTooLong); err != nil {
			return 0, err
		}
		return evText, nil
	}
	// DOCTYPE or another declaration: skip it, including an internal subset.
	depth := 0
	for read := 0; ; read++ {
		if read > maxMarkup {
			return 0, errMarkupTooLong
		}
		b, err := s.r.ReadByte()
		if err != nil {
			return 0, unexpectedEOF(err)
		}
		switch b {
		case '[':
			depth++
		case ']':
			depth--
		case '>':
			if depth <= 0 {
				return evDeclaration, nil
			}
		}
	}
}

// endIs reports whether the end event closes the element named open.
func (s *xmlScanner) endIs(open string) bool {
	if s.endName == nil {
		return s.name == open
	}
	return string(s.endName) == open
}
