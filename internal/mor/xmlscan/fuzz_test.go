package xmlscan

import (
	"bufio"
	"errors"
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
