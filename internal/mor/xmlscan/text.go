package xmlscan

import (
	"bytes"
	"strconv"
	"unicode/utf8"
)

// isSpace reports XML's whitespace characters.
func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// trimSpace and trimRightSpace cut XML whitespace, as bytes.Trim with that
// cutset would, without building its set on every call.
func trimSpace(b []byte) []byte {
	for len(b) > 0 && isSpace(b[0]) {
		b = b[1:]
	}
	return trimRightSpace(b)
}

// hasText reports whether b holds more than XML whitespace.
func hasText(b []byte) bool { return len(trimSpace(b)) > 0 }

func trimRightSpace(b []byte) []byte {
	for len(b) > 0 && isSpace(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}

// openQuoteAfter returns the quote character left open after b, when quote
// was open before it (0: none).
func openQuoteAfter(quote byte, b []byte) byte {
	for _, c := range b {
		switch {
		case quote == 0 && (c == '"' || c == '\''):
			quote = c
		case c == quote:
			quote = 0
		}
	}
	return quote
}

// validName accepts XML names as MOR uses them (ASCII letters, digits, '_',
// '-', '.', ':') plus any non-ASCII UTF-8, which XML also allows.
func validName(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	for i, c := range b {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '_', c == ':', c >= 0x80:
		case (c >= '0' && c <= '9') || c == '-' || c == '.':
			if i == 0 {
				return false
			}
		default:
			return false
		}
	}
	return utf8.Valid(b)
}

// appendUnescaped appends src to dst with character references decoded.
func appendUnescaped(dst *[]byte, src []byte) error {
	for {
		i := bytes.IndexByte(src, '&')
		if i < 0 {
			*dst = append(*dst, src...)
			return nil
		}
		*dst = append(*dst, src[:i]...)
		src = src[i+1:]
		j := bytes.IndexByte(src, ';')
		if j <= 0 || j > 10 {
			return SyntaxErrorf("bad character reference")
		}
		ref := src[:j]
		src = src[j+1:]
		switch string(ref) {
		case "amp":
			*dst = append(*dst, '&')
		case "lt":
			*dst = append(*dst, '<')
		case "gt":
			*dst = append(*dst, '>')
		case "quot":
			*dst = append(*dst, '"')
		case "apos":
			*dst = append(*dst, '\'')
		default:
			if ref[0] != '#' {
				// Not quoted: an unescaped '&' in a value makes what follows
				// it look like an entity name.
				return SyntaxErrorf("an unknown entity reference (&…; of %d bytes)", len(ref))
			}
			var n uint64
			var err error
			if len(ref) > 1 && (ref[1] == 'x' || ref[1] == 'X') {
				n, err = strconv.ParseUint(string(ref[2:]), 16, 32)
			} else {
				n, err = strconv.ParseUint(string(ref[1:]), 10, 32)
			}
			if err != nil || n == 0 || n > utf8.MaxRune || !utf8.ValidRune(rune(n)) {
				return SyntaxErrorf("a bad character reference (&…; of %d bytes)", len(ref))
			}
			*dst = utf8.AppendRune(*dst, rune(n))
		}
	}
}
