package mor

import (
	"fmt"
	"html"
	"net/url"
	"strconv"
	"strings"
)

// cleanText is the one cleaner of text that came from the network (an
// answer, a header, a certificate, a proxy) for an error or a log: it drops
// control characters first, so that none can split a secret and hide it
// from redact, then redacts, makes one line, redacts again (folding the
// whitespace can make a secret whole: a password's space sent as two, or as
// a no-break space) and cuts to limit bytes, saying whether it cut.
func cleanText(s string, limit int, redact func(string) string) (string, bool) {
	s = redact(dropInvisible(strings.ToValidUTF8(s, "")))
	s = redact(foldSpace(s))
	// A secret may hide in escapes (%38%62…, &#56;…): the text is then shown
	// with its escapes decoded, and the secret redacted.
	if d := unescaped(s); redact(d) != d {
		s = redact(d)
	}
	if len(s) <= limit {
		return s, false
	}
	return strings.ToValidUTF8(s[:limit], "") + "…", true
}

// unescaped is s with its percent-escapes and HTML character references
// decoded, cleaned as cleanText cleans.
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

// shownURL is a URL from an answer (a redirect's Location), cleaned. It is
// shown decoded, redacted, when its decoded form holds a secret: hidden in
// the percent-encoding, or split there by an invisible character.
func (c *Client) shownURL(u *url.URL, hash string) string {
	decoded := u.Scheme + "://" + u.Host + u.Path
	if u.Opaque != "" {
		// A Location of the form scheme:opaque keeps its escapes in
		// String(): decoded here, as a path is.
		decoded = u.Scheme + ":" + unescapeLeniently(u.Opaque)
	}
	plain, _ := cleanText(decoded, maxMessage, func(s string) string { return s })
	if redacted := c.clean(decoded, hash); redacted != plain {
		return redacted
	}
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
