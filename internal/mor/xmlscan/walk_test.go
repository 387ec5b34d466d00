package xmlscan

import (
	"bufio"
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
