package mor

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"
)

// Control characters go before redaction, so none can split a secret; a
// secret is redacted in its encoded forms; the '<' an excerpt is cut at may
// be part of a secret.
func TestCleaningRedactsSplitAndEncodedSecrets(t *testing.T) {
	t.Parallel()
	const hash = "c24fbc8275bb2203aa"
	c := &Client{secrets: []string{"P@ss w&rd<9", "hk-Key-7c1e"}}
	for raw, want := range map[string]string{
		"Incorrect hash c24fbc8275\u200ebb2203AA key hk-K\x1b[0mey-7c1e": "Incorrect hash [redacted] key [redacted]",
		"Incorrect hash c24fbc8275\ufe0ebb2203AA key hk-K\u034fey-7c1e":  "Incorrect hash [redacted] key [redacted]",
		"hash c24fbc\U000e0100\u180b8275bb2203aa\u3164":                  "hash [redacted]",
		"Bad login p=P%40ss+w%26rd%3C9&u=admin":                          "Bad login p=[redacted]&u=admin",
		// White space that folding makes the password's own space.
		"Bad login P@ss  w&rd<9":                         "Bad login [redacted]",
		"Bad login P@ss\u00a0w&rd<9":                     "Bad login [redacted]",
		"Bad login P@ss\r\n\tw&rd<9":                     "Bad login [redacted]",
		"Bad login P@ss\u3000w&rd<9 now":                 "Bad login [redacted] now",
		"Blocked u=admin p=P@ss w&amp;rd&lt;9":           "Blocked u=admin p=[redacted]",
		"path /x/P@ss%20w&rd%3C9/":                       "path /x/[redacted]/",
		"Access \x1b]0;owned\x07Denied\u009b31m \u202e!": "Access Denied !",
	} {
		if got := c.message(raw, hash); got != want {
			t.Errorf("%q: %q, want %q", raw, got, want)
		}
	}
	redact := func(s string) string { return c.redact(s, hash) }
	if got, _ := excerpt([]byte(`Forbidden: parameter p="P@ss w&rd<9" is not allowed`), redact, nil); got != `Forbidden: parameter p="[redacted]" is not allowed` {
		t.Errorf("excerpt %q", got)
	}
}

// net/http's errors that quote a broken answer are described, not quoted;
// others are cleaned and cut.
func TestTransportTextQuotesNoAnswer(t *testing.T) {
	t.Parallel()
	c := &Client{}
	for raw, want := range map[string]string{
		`net/http: HTTP/1.x transport connection broken: malformed HTTP status code "version=\"1.0\"?><page><secret>pw</secret>"`: "the server's answer is not HTTP: a malformed status line",
		`net/http: HTTP/1.x transport connection broken: malformed MIME header: missing colon: "X-pw"`:                            "the server's answer is not HTTP: a malformed header line",
		"x509: certificate is valid for \x1b]0;PWNED\x07\x1b[2J\x1b[31mmor.example.com, not localhost":                            "x509: certificate is valid for mor.example.com, not localhost",
	} {
		if got := c.transportText(errors.New(raw), ""); got != want {
			t.Errorf("%q: %q, want %q", raw, got, want)
		}
	}
	if got := c.transportText(errors.New(strings.Repeat("x", 200<<10)), ""); len(got) > maxMessage+10 {
		t.Errorf("%d bytes", len(got))
	}
}

// An element name is quoted without control characters; a Location whose
// percent-encoding hides the hash is shown decoded and redacted.
func TestNamesAndLocationsCleaned(t *testing.T) {
	t.Parallel()
	if got := unexpectedRootText("d\u202eevil"); got != "the answer is XML with root <devil>, not a MOR API answer" {
		t.Errorf("root: %q", got)
	}
	if got := tag("a\u009b2J\u009b31m"); got != "<a>" {
		t.Errorf("tag: %q", got)
	}
	const hash = "c24fbc"
	c := &Client{}
	u, _ := url.Parse("http://h/billing/%63%32%34%66%62%63/x")
	if got := c.shownURL(u, hash); got != "http://h/billing/[redacted]/x" {
		t.Errorf("location: %q", got)
	}
	u, _ = url.Parse("http://h/bill%20ing")
	if got := c.shownURL(u, hash); got != "http://h/bill%20ing" {
		t.Errorf("location: %q", got)
	}
}

// A secret that the end of the kept head cuts through no longer matches
// whole: no start of it may be quoted, however much whitespace (folded in
// the excerpt) or how many invisible characters (dropped) come before it.
func TestExcerptLeavesOutASecretCutAtTheHeadsEnd(t *testing.T) {
	t.Parallel()
	password := "P@ss w&rd<9-Hq"
	hash := strings.Repeat("8be6e537", 5)
	c := &Client{secrets: []string{password}}
	split := func(s, mark string) string { return strings.Join(strings.Split(s, ""), mark) }
	for name, secret := range map[string]string{
		"password": password, "hash": hash, "password form-encoded": url.QueryEscape(password),
		"hash split by invisible characters": split(hash, "\u200b"),
	} {
		for cut := 3; cut < len(secret); cut++ {
			head := " \r\n" + strings.Repeat(" ", headSize) + "p=" + secret
			head = head[len(head)-len(secret)+cut-headSize : len(head)-len(secret)+cut]
			// What of the secret's start reads as such: a cut inside an
			// invisible character leaves bytes that are no character.
			shown := strings.ReplaceAll(strings.ToValidUTF8(secret[:cut], ""), "\u200b", "")
			if got, _ := c.excerpt(&body{head: []byte(head)}, hash); strings.Contains(got, shown) {
				t.Errorf("%s cut after %d bytes: the excerpt %q quotes %q", name, cut, got, shown)
			}
		}
	}
	// An answer that ends within the head is quoted up to its end; one that
	// broke off there may have been cut through a secret.
	if got, _ := c.excerpt(&body{head: []byte("Forbidden, ask admin"), headWhole: true}, hash); got != "Forbidden, ask admin" {
		t.Errorf("a short page: %q", got)
	}
	if got, _ := c.excerpt(&body{head: []byte("Request blocked: u=admin&hash=" + hash[:36])}, hash); strings.Contains(got, hash[:4]) {
		t.Errorf("an answer broken off in the hash: %q", got)
	}
	// A title ends before its </title>: no cut runs through it, so one near
	// the end of the head is quoted.
	page := "<html><head>" + strings.Repeat(" ", 440) + "<title>Down for maintenance</title></head><body>" + strings.Repeat("y", 3000)
	if got, title := c.excerpt(&body{head: []byte(page[:headSize])}, hash); got != "Down for maintenance" || !title {
		t.Errorf("a title near the head's end: %q (a title: %v)", got, title)
	}
}

// A whole secret near the end of a cut head is redacted, not cut first; a
// secret whose white space the answer stretched is cut as it matches, once
// folded.
func TestExcerptRedactsBeforeLeavingOutTheTail(t *testing.T) {
	t.Parallel()
	const hash = testHash
	c := &Client{secrets: []string{"correct horse battery staple"}}
	head := "Blocked:" + strings.Repeat(" ", 434-len("Blocked: hash=")) + " hash=" + hash
	head += strings.Repeat(" ", headSize-len(head))
	if got, _ := c.excerpt(&body{head: []byte(head)}, hash); !strings.Contains(got, "hash=[redacted]") {
		t.Errorf("a whole hash near the head's end: %q", got)
	}
	head = "Blocked p=correct horse battery"
	head += strings.Repeat(" ", headSize-len(head)-3) + "sta"
	if got, _ := c.excerpt(&body{head: []byte(head)}, hash); strings.Contains(got, "correct") {
		t.Errorf("a stretched password cut at the head's end: %q", got)
	}
}

// A secret hidden in escapes is shown decoded and redacted; a secret holding
// an invisible character (an emoji's variation selector) is matched as it
// shows.
func TestCleaningRedactsEscapedAndInvisibleSecrets(t *testing.T) {
	t.Parallel()
	const hash = testHash
	var entities strings.Builder
	for i := 0; i < len(hash); i++ {
		fmt.Fprintf(&entities, "&#%d;", hash[i])
	}
	c := &Client{secrets: []string{"Love\u2764\ufe0f2024"}}
	for raw, want := range map[string]string{
		"Incorrect hash " + testHashPercentAll:      "Incorrect hash [redacted]",
		"Incorrect hash " + entities.String():       "Incorrect hash [redacted]",
		"Bad login u=admin p=Love\u2764\ufe0f2024":  "Bad login u=admin p=[redacted]",
		"Bad login 100% sure, u=admin &amp; p=none": "Bad login 100% sure, u=admin &amp; p=none",
	} {
		if got := c.message(raw, hash); got != want {
			t.Errorf("%q: %q, want %q", raw, got, want)
		}
	}
}

// Found by the fourth attack: secrets in forms the cleaner did not know, or
// changed by the provider's own quoting or cutting.
func TestCleaningRedactsWhatTheFourthAttackFound(t *testing.T) {
	t.Parallel()
	const hash = testHash
	pct := testHashPercentAll
	password := `P@ss w&rd<9-Hq"\x`
	c := &Client{secrets: []string{password}}
	ctx := context.Background()
	for name, err := range map[string]error{
		"records and an error quoting the hash escaped":  recordsWithError("Incorrect hash " + pct),
		"records and an error quoting a quoted password": recordsWithError("Bad login p=" + password),
		"an element named for the hash, cut short":       unexpectedAnswer("%s in <dids>, where only <did> records belong", tag(strings.Repeat("h", 20)+hash)),
	} {
		got := c.bodyError(ctx, methodDIDs, 200, 1, nil, err, hash).Error()
		if strings.Contains(got, hash[:12]) || strings.Contains(got, pct[:24]) || strings.Contains(got, "P@ss") {
			t.Errorf("%s: %s", name, got)
		}
	}
	double := strings.ReplaceAll(pct, "%", "%25")
	for raw, want := range map[string]string{
		"Bad login p=P@ss+w&rd<9-Hq\"\\x": "Bad login p=[redacted]",
		"Incorrect hash " + double:        "Incorrect hash [redacted]",
	} {
		if got := c.message(raw, hash); got != want {
			t.Errorf("%q: %q, want %q", raw, got, want)
		}
	}
	// An unknown form cut by the head's end: its last word is left out.
	head := strings.Repeat(" ", headSize-len("p=P%40ss%20w%26rd%3C9-")) + "p=P%40ss%20w%26rd%3C9-"
	if got, _ := c.excerpt(&body{head: []byte(head)}, hash); strings.Contains(got, "P%40ss") {
		t.Errorf("a password escaped and cut at the head's end: %q", got)
	}
}
