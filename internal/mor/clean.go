package mor

import (
	"fmt"
	"html"
	"net/url"
	"strconv"
	"strings"
)

// cleanLine is the one cleaner of text that came from the network (an
// answer, a header, a certificate, a proxy) for an error or a log. In turn:
//  1. it drops invisible characters, so that none can split a secret and
//     hide it from redact, and redacts;
//  2. it makes the text one line and redacts again: folding white space can
//     make a secret whole (a password's space sent as two, or as a no-break
//     space);
//  3. it decodes percent-escapes and HTML character references, escapes of
//     escapes too, and when a secret shows in a decoded form it shows that
//     form, redacted.
func cleanLine(s string, redact func(string) string) string {
	s = redact(foldSpace(redact(dropInvisible(strings.ToValidUTF8(s, "")))))
	for d, round := s, 0; round < maxUnescapes; round++ {
		next := unescaped(d)
		if next == d {
			break
		}
		if d = next; redact(d) != d {
			return redact(d)
		}
	}
	return s
}

// maxUnescapes bounds how many layers of escapes cleanLine decodes.
const maxUnescapes = 3

// cutTo cuts s to limit bytes, saying whether it cut.
func cutTo(s string, limit int) (string, bool) {
	if len(s) <= limit {
		return s, false
	}
	return strings.ToValidUTF8(s[:limit], "") + "…", true
}

// cleanText is cleanLine cut to limit bytes.
func cleanText(s string, limit int, redact func(string) string) (string, bool) {
	return cutTo(cleanLine(s, redact), limit)
}

// unescaped is s with one layer of percent-escapes and HTML character
// references decoded, its invisible characters dropped and its white space
// folded.
func unescaped(s string) string {
	return foldSpace(dropInvisible(strings.ToValidUTF8(html.UnescapeString(unescapeLeniently(s)), "")))
}

// foldSpace makes s one line, each run of white space one space.
func foldSpace(s string) string { return strings.Join(strings.Fields(s), " ") }

// clean is cleanText with the client's secrets and hash redacted, cut to
// maxMessage.
func (c *Client) clean(s, hash string) string {
	out, _ := cleanText(s, maxMessage, func(s string) string { return c.redact(s, hash) })
	return out
}

// message is MOR's own error text made safe to show (see displayMessage),
// with the client's secrets and hash redacted.
func (c *Client) message(s, hash string) string {
	return cutMessage(s, func(s string) string { return c.redact(s, hash) })
}

// notHTTPErrors are the phrases of net/http's errors that quote what the
// server sent in place of an HTTP answer, with what each means.
var notHTTPErrors = []struct{ phrase, problem string }{
	{"malformed HTTP status code", "a malformed status line"},
	{"malformed HTTP response", "a malformed status line"},
	{"malformed HTTP version", "a malformed status line"},
	{"malformed MIME header", "a malformed header line"},
	{"bad Content-Length", "a malformed Content-Length header"},
	{"invalid empty Content-Length", "a malformed Content-Length header"},
	{"multiple Content-Length", "a malformed Content-Length header"},
	{"transfer encoding", "an unsupported Transfer-Encoding header"},
	{"invalid Trailer key", "a malformed Trailer header"},
	{"bad trailer key", "a malformed trailer"},
	{"chunk", "a malformed chunked body"},
}

// transportText says what a failure to get or read an answer was, quoting
// nothing the server sent when net/http's words would quote its answer.
func (c *Client) transportText(err error, hash string) string {
	msg := err.Error()
	for _, e := range notHTTPErrors {
		if strings.Contains(msg, e.phrase) {
			return "the server's answer is not HTTP: " + e.problem
		}
	}
	return c.clean(msg, hash)
}

// shownURL is a URL from an answer (a redirect's Location), cleaned: a
// secret hidden in its percent-escapes is shown decoded, redacted, as in any
// text cleanLine cleans.
func (c *Client) shownURL(u *url.URL, hash string) string {
	return c.clean(u.String(), hash)
}

// unescapeLeniently decodes each valid %XX escape of s and keeps the rest
// as it is: a malformed escape must not keep the others from being decoded.
func unescapeLeniently(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			v, _ := strconv.ParseUint(s[i+1:i+3], 16, 8)
			b.WriteByte(byte(v))
			i += 2
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// unexpectedRootText names the root element of a refused answer, cleaned.
func unexpectedRootText(root string) string {
	if root == "html" || root == "HTML" {
		return "the answer is an HTML page, not a MOR API answer"
	}
	return fmt.Sprintf("the answer is XML with root %s, not a MOR API answer", tag(root))
}
