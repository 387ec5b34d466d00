package xmlscan

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"strings"
	"testing"
	"unicode/utf8"
)

// nopHandler takes the records of a document and drops them.
type nopHandler struct{}

func (nopHandler) Start(int, string)              {}
func (nopHandler) Leaf(int, string, string) error { return nil }

// FuzzErrorExtraction checks that an <error> anywhere in a well-formed
// document is found, whatever surrounds it.
func FuzzErrorExtraction(f *testing.F) {
	f.Add("page", "status", "Incorrect hash")
	f.Add("status", "status", "Bad login")
	f.Add("page", "x", " Access Denied ")
	f.Fuzz(func(t *testing.T, root, wrapper, msg string) {
		if !validName([]byte(wrapper)) || wrapper == "error" {
			t.Skip()
		}
		escaped := []byte{}
		if err := appendEscaped(&escaped, msg); err != nil {
			t.Skip()
		}
		for _, r := range []string{"page", "status", root} {
			if !validName([]byte(r)) {
				continue
			}
			doc := "<" + r + "><" + wrapper + "><error>" + string(escaped) + "</error></" + wrapper + "></" + r + ">"
			morErr, err := Walk(bufio.NewReader(strings.NewReader(doc)), nopHandler{})
			if r != "page" && r != "status" && r != "error" {
				if err == nil {
					t.Fatalf("root <%s> accepted", r)
				}
				continue
			}
			if err != nil {
				t.Fatalf("%s: %v", doc, err)
			}
			want := trimXMLSpace(msg)
			if want == "" {
				want = "(empty error message)"
			}
			if morErr != want {
				t.Fatalf("%s: MOR error %q, want %q", doc, morErr, want)
			}
		}
	})
}

func appendEscaped(dst *[]byte, s string) error {
	if !utf8.ValidString(s) {
		return errors.New("invalid UTF-8")
	}
	*dst = append(*dst, strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)...)
	return nil
}

func trimXMLSpace(s string) string { return strings.Trim(s, " \t\r\n") }

// leafChecker checks what Walk hands a Handler: a leaf is the element
// started last (it has no children), and its value is trimmed, valid UTF-8.
type leafChecker struct {
	t     *testing.T
	depth int
}

func (c *leafChecker) Start(depth int, _ string) {
	if depth < 1 || depth > maxDepth {
		c.t.Fatalf("start at depth %d", depth)
	}
	c.depth = depth
}

func (c *leafChecker) Leaf(depth int, name, value string) error {
	if depth != c.depth {
		c.t.Fatalf("<%s> leaf at depth %d, last start at depth %d", name, depth, c.depth)
	}
	if !utf8.ValidString(value) || strings.Trim(value, " \t\r\n") != value {
		c.t.Fatalf("<%s> value %q is not trimmed, valid UTF-8", name, value)
	}
	return nil
}

// FuzzWalk checks that Walk never panics or loops on any input, and answers
// either MOR's error message or a decoding error, never both, never a bare EOF.
func FuzzWalk(f *testing.F) {
	// The client's seed answers, one per API method.
	seeds := os.DirFS("../testdata")
	names, err := fs.Glob(seeds, "*.xml")
	if err != nil || len(names) == 0 {
		f.Fatalf("no seed answers in ../testdata: %v", err)
	}
	for _, name := range names {
		if raw, err := fs.ReadFile(seeds, name); err == nil {
			f.Add(raw)
		}
	}
	for _, s := range []string{
		"", "<", "<page>", "<page/>", "<error>Incorrect hash</error>", "<error/>",
		"<page><status><status>Bad login</status></status></page>",
		"<html><body>login</body></html>", "<page>&#0;</page>", "<page>&#xD800;</page>",
		"<page><a b='>'>x</a></page>", "<page><![CDATA[<]]></page>", "<!-- x --><page/><!-- y -->",
		"<page></pagex>", "<page>\xff</page>", "\ufeff<page/>", "<page/>trailing",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		morErr, err := Walk(bufio.NewReaderSize(bytes.NewReader(raw), 16), &leafChecker{t: t})
		switch {
		case err != nil && morErr != "":
			t.Fatalf("a MOR error %q and an error: %v", morErr, err)
		case errors.Is(err, io.EOF):
			t.Fatalf("a bare EOF leaked: %v", err)
		}
	})
}

// FuzzUnescape checks that any text, escaped with named or numeric
// references, decodes back to itself.
func FuzzUnescape(f *testing.F) {
	f.Add("a < b & c > \"d\" 'e'")
	f.Add("é€😀")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
			t.Skip()
		}
		escaped := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#x27;").Replace(s)
		var got []byte
		if err := appendUnescaped(&got, []byte(escaped)); err != nil {
			t.Fatalf("%q: %v", escaped, err)
		}
		if string(got) != s {
			t.Fatalf("%q decoded to %q, want %q", escaped, got, s)
		}
	})
}
