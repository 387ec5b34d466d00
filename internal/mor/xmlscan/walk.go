package xmlscan

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

// Handler receives a MOR answer as a stream: every element start, and
// every leaf element (one without child elements) with its trimmed text.
// Depth 1 is the root element.
type Handler interface {
	Start(depth int, name string)
	Leaf(depth int, name, value string) error
}

// ErrNotXML, ErrTruncated, ErrEmpty and UnexpectedRootError describe an
// answer that is not a MOR API document; the client turns them into a
// ResponseError.
var (
	ErrNotXML    = errors.New("the answer is not XML")
	ErrTruncated = errors.New("the XML answer ends before its document does (truncated)")
	ErrEmpty     = errors.New("the answer is empty")
)

// UnexpectedRootError reports a well-formed start of a document that is not a
// MOR answer, e.g. an HTML login or maintenance page.
type UnexpectedRootError struct{ Root string }

func (e *UnexpectedRootError) Error() string {
	if e.Root == "html" || e.Root == "HTML" {
		return "the answer is an HTML page, not a MOR API answer"
	}
	return fmt.Sprintf("the answer is XML with root <%s>, not a MOR API answer", e.Root)
}

// statusErrors are the texts some releases put in a bare <status> element
// instead of an <error> (e.g. <page><status><status>Bad login</status></status></page>).
var statusErrors = map[string]bool{
	"Bad login":     true,
	"Access Denied": true,
}

// IsStatusError reports whether text is one of the error messages some
// releases send in a bare <status> element.
func IsStatusError(text string) bool { return statusErrors[text] }

// Walk streams a MOR answer through h. It returns MOR's own error message
// when the document holds an <error> element (at any depth) or a status
// error; the handler's records must then be discarded.
func Walk(r *bufio.Reader, h Handler) (morError string, err error) {
	sc := newXMLScanner(r)
	defer sc.publish()
	type frame struct {
		name     string
		hasChild bool
	}
	stack := make([]frame, 0, 8)
	rootSeen := false
	for {
		ev, err := sc.next()
		if err != nil {
			if errors.Is(err, io.ErrUnexpectedEOF) {
				return "", ErrTruncated
			}
			return "", err
		}
		switch ev {
		case evEOF:
			switch {
			case len(stack) > 0:
				return "", ErrTruncated
			case !rootSeen:
				return "", ErrEmpty
			}
			return morError, nil
		case evStart:
			if len(stack) == 0 {
				if rootSeen {
					return "", SyntaxErrorf("a second root element <%s>", sc.name)
				}
				rootSeen = true
				switch sc.name {
				case "page", "status", "error":
				default:
					return "", &UnexpectedRootError{Root: sc.name}
				}
			} else {
				if hasText(sc.text) {
					return "", mixedContent(len(stack))
				}
				stack[len(stack)-1].hasChild = true
			}
			if len(stack) == maxDepth {
				return "", SyntaxErrorf("nesting deeper than %d", maxDepth)
			}
			stack = append(stack, frame{name: sc.name})
			sc.text = sc.text[:0]
			h.Start(len(stack), sc.name)
		case evText:
			if len(stack) == 0 {
				if len(bytes.TrimLeft(sc.text, " \t\r\n\ufeff")) > 0 {
					if rootSeen {
						return "", SyntaxErrorf("text after the root element")
					}
					return "", ErrNotXML
				}
				sc.text = sc.text[:0]
				continue
			}
			if len(sc.text) > maxText {
				return "", ErrTextTooLong
			}
		case evDeclaration:
			if len(stack) > 0 {
				// Not quoted: it may be a value's own "<!", unescaped.
				return "", SyntaxErrorf("a declaration (<!…>) inside the element open at depth %d", len(stack))
			}
		case evEnd:
			if len(stack) == 0 || !sc.endIs(stack[len(stack)-1].name) {
				// Neither name is quoted: a stray '<' in a value turns the
				// value's text into tag names.
				return "", SyntaxErrorf("an end tag that does not close the element open at depth %d", len(stack))
			}
			depth := len(stack)
			f := stack[depth-1]
			stack = stack[:depth-1]
			if f.hasChild {
				if hasText(sc.text) {
					return "", mixedContent(depth)
				}
				if f.name == "error" {
					return "", SyntaxErrorf("an <error> holding elements, where MOR's message belongs")
				}
				sc.text = sc.text[:0]
				continue
			}
			v := trimSpace(sc.text)
			if !utf8.Valid(v) {
				return "", fmt.Errorf("%w: the value of <%s> is not valid UTF-8", ErrSyntax, f.name)
			}
			value := string(v)
			sc.text = sc.text[:0]
			switch {
			case f.name == "error" && morError == "":
				morError = value
				if morError == "" {
					morError = "(empty error message)"
				}
			case f.name == "status" && statusErrors[value] && morError == "":
				morError = value
			}
			if err := h.Leaf(depth, f.name, value); err != nil {
				return "", err
			}
		}
	}
}

// mixedContent refuses an element holding text beside elements, which no MOR
// answer holds: read as a leaf-less element, its text would be dropped
// without a word (a password with an unescaped "<b/>" in it read as null).
// The element is told by its depth: its name may be a piece of that password.
func mixedContent(depth int) error {
	return SyntaxErrorf("text beside elements in the element open at depth %d, as in no MOR value (a value with an unescaped tag in it?)", depth)
}
