package xmlscan

import (
	"bufio"
	"errors"
	"runtime/debug"
	"strings"
	"testing"
)

// leafRecorder keeps every leaf as name=value.
type leafRecorder struct{ leaves []string }

func (r *leafRecorder) Start(int, string) {}
func (r *leafRecorder) Leaf(_ int, name, value string) error {
	r.leaves = append(r.leaves, name+"="+value)
	return nil
}

// A leaf's value is all of its text, references, CDATA sections and text
// around comments together, whatever read buffer it arrives through.
func TestWalkLeafValues(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ doc, want string }{
		{"<page><a>1</a><b>2</b></page>", "a=1 b=2"},
		{"<page>\n  <a> 1 </a>\n  <b/>\n</page>", "a=1 b="},
		{"<page><a>1<![CDATA[2]]>3</a></page>", "a=123"},
		{"<page><a>&lt;<![CDATA[&lt;]]>&gt;</a></page>", "a=<&lt;>"},
		// Text before a CDATA section cannot end it.
		{"<page><a>x]]<![CDATA[>y]]></a></page>", "a=x]]>y"},
		{"<page><a>x]<![CDATA[]>y]]></a></page>", "a=x]]>y"},
		{"<page><a>x<![CDATA[]]></a></page>", "a=x"},
		{"<page><a>x <!-- c > d --> y</a></page>", "a=x  y"},
		{"<page><a>--<!---->x</a></page>", "a=--x"},
		{"<page><a>x<?pi y?>z</a></page>", "a=xz"},
		{"<page><a b='>'>x</a><c d=\"/>\"/></page>", "a=x c="},
	} {
		for _, size := range []int{16, 4096} {
			r := &leafRecorder{}
			if _, err := Walk(bufio.NewReaderSize(strings.NewReader(tc.doc), size), r); err != nil {
				t.Errorf("%s (buffer %d): %v", tc.doc, size, err)
				continue
			}
			if got := strings.Join(r.leaves, " "); got != tc.want {
				t.Errorf("%s (buffer %d): %q, want %q", tc.doc, size, got, tc.want)
			}
		}
	}
}

// Text beside elements is refused, whether before, between or after them:
// it is no MOR value, and reading the elements alone would drop it unseen.
// Whitespace between elements is layout.
func TestWalkRefusesTextBesideElements(t *testing.T) {
	t.Parallel()
	for _, doc := range []string{
		"<page><secret>pw9<b/>x7</secret></page>",
		"<page><secret>pw9x7<b/></secret></page>",
		"<page><secret><b/>pw9x7</secret></page>",
		"<page><comment>pw9<x>c</x><y/>x7</comment></page>",
		"<page>pw9x7<devices/></page>",
		"<page><a><![CDATA[pw9x7]]><b/></a></page>",
		// A password starting with a tag: the element's name is part of it.
		"<page><secret><pw9>x7<r/></pw9></secret></page>",
	} {
		_, err := Walk(bufio.NewReader(strings.NewReader(doc)), nopHandler{})
		if !errors.Is(err, ErrSyntax) || !strings.Contains(err.Error(), "text beside elements") {
			t.Errorf("%s: %v, want text beside elements refused", doc, err)
		}
		if err != nil && (strings.Contains(err.Error(), "pw9") || strings.Contains(err.Error(), "x7")) {
			t.Errorf("%s: the error quotes the text: %v", doc, err)
		}
	}
	for _, doc := range []string{"<page>\n <a>1</a>\r\n\t<b/> </page>", "<page><a><![CDATA[ ]]><b/></a></page>"} {
		if _, err := Walk(bufio.NewReader(strings.NewReader(doc)), nopHandler{}); err != nil {
			t.Errorf("%q: %v", doc, err)
		}
	}
}

// An <error> holding elements and a declaration inside the root are refused:
// MOR's message would be lost, and a value's unescaped "<!" cut out of it.
func TestWalkRefusesErrorsWithElementsAndInnerDeclarations(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ doc, want string }{
		{"<page><devices/><error><message>Access Denied</message></error></page>", "an <error> holding elements"},
		{"<page><error><m/></error></page>", "an <error> holding elements"},
		{"<page><a>pw9<!x>x7</a></page>", "a declaration (<!…>) inside the element open at depth 2"},
		{"<page><!DOCTYPE page><a>1</a></page>", "a declaration (<!…>) inside the element open at depth 1"},
	} {
		_, err := Walk(bufio.NewReader(strings.NewReader(tc.doc)), nopHandler{})
		if !errors.Is(err, ErrSyntax) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.doc, err, tc.want)
		}
		if err != nil && (strings.Contains(err.Error(), "pw9") || strings.Contains(err.Error(), "x7")) {
			t.Errorf("%s: the error quotes the text: %v", tc.doc, err)
		}
	}
	r := &leafRecorder{}
	if _, err := Walk(bufio.NewReader(strings.NewReader("<!DOCTYPE page [<!ENTITY x \"y\">]><!x><page><!-- c --><?p?><a>1</a></page>")), r); err != nil || strings.Join(r.leaves, " ") != "a=1" {
		t.Errorf("declarations before the root: %v %v", err, r.leaves)
	}
}

// Markup and text are bounded wherever they come from, and read in linear
// time: a quoted attribute full of '>' once took time quadratic in its
// length, and a long comment was kept whole in memory while it was skipped.
func TestWalkBoundsMarkup(t *testing.T) {
	t.Parallel()
	over := maxMarkup + maxMarkup/2
	for _, tc := range []struct {
		name, doc string
		want      error
	}{
		{"a quoted attribute full of '>'", "<page><a b='" + strings.Repeat(">", over) + "'>x</a></page>", ErrSyntax},
		{"a long comment", "<page><!--" + strings.Repeat("-> ", over/3) + "--></page>", ErrSyntax},
		{"a long processing instruction", "<page><?pi " + strings.Repeat("x>", over/2) + "?></page>", ErrSyntax},
		{"a long DOCTYPE", "<!DOCTYPE page [" + strings.Repeat("<!-- -->", over/8) + "]><page/>", ErrSyntax},
		{"a long CDATA section", "<page><a><![CDATA[" + strings.Repeat("]>", over/2) + "]]></a></page>", ErrTextTooLong},
	} {
		_, err := Walk(bufio.NewReader(strings.NewReader(tc.doc)), nopHandler{})
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}
}

// A run of comments, processing instructions and declarations is skipped
// with the stack as it was: skipping each by a call deeper crashed the
// process on a long enough run, and a stack overflow cannot be recovered.
// The stack limit is lowered for the test, so that the run it takes is
// small; not parallel, as the limit is the process's.
func TestWalkSkipsRunsOfMarkupWithoutRecursion(t *testing.T) {
	defer debug.SetMaxStack(debug.SetMaxStack(16 << 20))
	doc := strings.Repeat("<!x>", 100_000) + "<page>" + strings.Repeat("<!----><?p?>", 100_000) + "<a>1</a></page>"
	r := &leafRecorder{}
	if _, err := Walk(bufio.NewReader(strings.NewReader(doc)), r); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(r.leaves, " "); got != "a=1" {
		t.Errorf("leaves %q, want a=1", got)
	}
}
