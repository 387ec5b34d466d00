package mor

import (
	"bytes"
	"html"
	"regexp"
	"strings"
	"unicode"
)

// excerpt is the excerpt of an answer's head with the client's secrets and
// hash redacted. Unless the head is the whole answer, what could be the start
// of a secret cut at its end is left out.
func (c *Client) excerpt(b *body, hash string) (text string, title bool) {
	if b == nil {
		return "", false
	}
	var cutForms []string
	if !b.headWhole {
		for _, secret := range append([]string{hash}, c.secrets...) {
			cutForms = append(cutForms, encodedForms(secret)...)
		}
	}
	return excerpt(b.head, func(s string) string { return c.redact(s, hash) }, cutForms)
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
// of a secret. cutForms, the secrets' forms, are given when the head is not
// the whole answer: a secret its end runs through no longer matches whole,
// so that end is left out (see withoutCutEnd). A title ends before its
// </title>, so no cut runs through it. title says the text is the page's
// title.
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
	// Whether the head ends inside a word, before white space folds away.
	inWord := s != "" && !unicode.IsSpace(rune(s[len(s)-1]))
	s = cleanLine(s, redact)
	if cutForms != nil {
		s = withoutCutEnd(s, cutForms, inWord)
	}
	if i := strings.IndexByte(s, '<'); i >= 0 {
		s = s[:i]
	}
	out, _ := cutTo(strings.TrimSpace(s), 100)
	return out, false
}

// withoutCutEnd is the cleaned start s of an answer, less what may be a
// secret that the cut at its end runs through: its longest end that is the
// start of one of forms (in any ASCII letter case: a secret holding spaces),
// then, when the cut fell inside a word, its last word, which may be the
// start of a secret in a form that none of forms is (percent-escaped byte by
// byte, say).
func withoutCutEnd(s string, forms []string, inWord bool) string {
	cut := 0
	for _, f := range forms {
		for k := min(len(f)-1, len(s)); k > cut; k-- {
			if strings.EqualFold(s[len(s)-k:], f[:k]) {
				cut = k
				break
			}
		}
	}
	s = s[:len(s)-cut]
	if inWord {
		i := max(strings.LastIndexByte(s, ' '), 0)
		s = s[:i]
	}
	return strings.ToValidUTF8(s, "")
}

// isUTF16 tells an answer that starts with a UTF-16 byte-order mark: MOR
// sends UTF-8, and the bytes after the mark are unreadable as such.
func isUTF16(head []byte) bool {
	return bytes.HasPrefix(head, []byte{0xff, 0xfe}) || bytes.HasPrefix(head, []byte{0xfe, 0xff})
}
