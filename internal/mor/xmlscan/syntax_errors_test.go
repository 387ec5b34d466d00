package xmlscan

import (
	"bufio"
	"errors"
	"strings"
	"testing"
)

// A value with an unescaped '<' or '&' (a password, say) is refused as
// malformed, and the error quotes none of its text.
func TestSyntaxErrorsQuoteNoText(t *testing.T) {
	t.Parallel()
	const secret = "SIPPWzz81secret"
	for _, doc := range []string{
		"<page><secret>ab<" + secret + "</secret></page>",
		"<page><secret>ab</" + secret + "></secret></page>",
		"<page><secret>ab&" + secret[:8] + ";x</secret></page>",
		"<page><secret>ab&#" + secret[:8] + ";x</secret></page>",
		"<page><secret>ab<" + secret + "></secret></page>",
	} {
		_, err := Walk(bufio.NewReader(strings.NewReader(doc)), nopHandler{})
		if !errors.Is(err, ErrSyntax) {
			t.Errorf("%s: %v, want a syntax error", doc, err)
			continue
		}
		if strings.Contains(err.Error(), secret[:6]) {
			t.Errorf("%s: the error quotes the value: %v", doc, err)
		}
	}
}
