package mor

import (
	"html"
	"net/url"
	"regexp"
	"slices"
	"strings"
)

// redact removes the key, the password and the given hashes from s, and
// every run of hex digits as long as a request hash (see hashLike). A hash
// is hex, which a proxy or WAF may echo in capitals, so every secret is
// matched in any ASCII letter case; and a WAF or a page may echo a secret
// as the form, a URL path or HTML holds it, so its encoded forms are
// matched too.
func (c *Client) redact(s string, hashes ...string) string {
	// Longest first across every secret: one secret can hold another (a
	// password holding the key), and removing the shorter first would leave
	// the rest of the longer one.
	var forms []string
	for _, secret := range append(hashes, c.secrets...) {
		forms = append(forms, encodedForms(secret)...)
	}
	slices.SortStableFunc(forms, func(a, b string) int { return len(b) - len(a) })
	for _, form := range forms {
		s = replaceFold(s, form, "[redacted]")
	}
	return hashLike.ReplaceAllString(s, "[redacted]")
}

// hashLike is a run of hex digits at least as long as a request hash (a
// SHA-1 in hex). A WAF or proxy that has seen the run's requests may quote
// any of their hashes, or another provider configuration's, in the answer
// to another request; the hash of dids_get and device_clis_get opens them
// as the key does. Such a run is taken for one, whatever it is.
var hashLike = regexp.MustCompile(`[0-9A-Fa-f]{40,}`)

// encodedForms are secret as it is and as a form value, a URL path and
// HTML text hold it, longest first, so that no form is cut by the
// replacement of another.
func encodedForms(secret string) []string {
	forms := []string{secret}
	// As cleanText shows a secret holding runs of white space or invisible
	// characters, once it has dropped those and made its text one line.
	// With '+' for each space: a form value decoded but for its '+'.
	for _, f := range []string{url.QueryEscape(secret), url.PathEscape(secret), html.EscapeString(secret), foldSpace(dropInvisible(secret)),
		strings.ReplaceAll(secret, " ", "+")} {
		if f != "" && !slices.Contains(forms, f) {
			forms = append(forms, f)
		}
	}
	slices.SortStableFunc(forms, func(a, b string) int { return len(b) - len(a) })
	return forms
}

// replaceFold replaces every match of old in s, ignoring ASCII letter case.
func replaceFold(s, old, with string) string {
	if old == "" || len(old) > len(s) {
		return s
	}
	lower, lowerOld := asciiLower(s), asciiLower(old)
	if !strings.Contains(lower, lowerOld) {
		return s
	}
	var b strings.Builder
	for {
		// ASCII lowering keeps byte offsets, so an index in lower is one in s.
		i := strings.Index(lower, lowerOld)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		b.WriteString(with)
		s, lower = s[i+len(old):], lower[i+len(old):]
	}
}

// asciiLower lowers ASCII letters byte by byte, leaving every other byte
// (invalid UTF-8 included) where it is.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + ('a' - 'A')
		}
	}
	return string(b)
}

// RedactUserinfo hides whatever stands between a URL's scheme and the last
// '@' of its authority, so a url holding user:password@ can be quoted. It
// works on the raw text: a URL that does not parse is quoted too.
func RedactUserinfo(raw string) string {
	scheme := strings.Index(raw, "://")
	if scheme < 0 {
		if at := strings.LastIndex(raw, "@"); at >= 0 {
			return "[redacted]" + raw[at:]
		}
		return raw
	}
	rest := raw[scheme+3:]
	at := strings.LastIndex(rest, "@")
	if at < 0 {
		return raw
	}
	return raw[:scheme+3] + "[redacted]" + rest[at:]
}
