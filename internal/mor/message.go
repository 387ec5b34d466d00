package mor

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
)

// maxMessage is how much of MOR's own error text is shown: MOR's messages
// are a few words; anything longer is not a message meant for a person.
const maxMessage = 300

// terminalSequences are ANSI escape sequences (CSI, OSC, and two-byte
// escapes), which a terminal would act on.
var terminalSequences = regexp.MustCompile("\x1b\\[[0-?]*[ -/]*[@-~]|\x1b\\][^\x07\x1b]*(?:\x07|\x1b\\\\)?|\x1b[@-_]?|\u009b[0-?]*[ -/]*[@-~]")

// dropInvisible removes terminal escape sequences and every invisible
// character (see IsInvisible), turning line breaks and tabs into spaces.
func dropInvisible(s string) string {
	s = terminalSequences.ReplaceAllString(s, "")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			return ' '
		case r == '\u2028' || r == '\u2029':
			return ' '
		case IsInvisible(r):
			return -1
		}
		return r
	}, s)
}

// IsInvisible tells a character that prints as nothing, or acts on the
// terminal or on the text around it: control characters (C0, DEL, C1),
// format characters (byte-order marks, bidirectional marks and overrides,
// zero-width characters, soft hyphens), variation selectors and the other
// default-ignorable characters (the combining grapheme joiner, Hangul
// fillers). Any of them can split a secret so that it no longer matches
// and still reads whole.
func IsInvisible(r rune) bool {
	return unicode.In(r, unicode.Cc, unicode.Cf, unicode.Variation_Selector, unicode.Other_Default_Ignorable_Code_Point)
}

// displayMessage makes MOR's own error text safe to print: one line,
// without control characters, and cut to maxMessage bytes with the cut
// said.
func displayMessage(s string) string {
	return cutMessage(s, func(s string) string { return s })
}

// cutMessage is displayMessage, redacting with redact once control
// characters are gone.
func cutMessage(s string, redact func(string) string) string {
	out, cut := cleanText(s, maxMessage, redact)
	if cut {
		out += fmt.Sprintf(" (cut: %s in all)", byteSize(len(s)))
	}
	return out
}

// byteSize says a length in bytes, KB or MB (of 1024).
func byteSize(n int) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", (n+512)>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
