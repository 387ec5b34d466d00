package xmlscan

import (
	"bufio"
	"fmt"
	"strings"
	"testing"
	"unsafe"
)

// namesHandler keeps the names of the leaves it is given.
type namesHandler struct{ names []string }

func (*namesHandler) Start(int, string) {}
func (h *namesHandler) Leaf(_ int, name, _ string) error {
	h.names = append(h.names, name)
	return nil
}

// Names met in one document are interned for the next ones, and a document
// full of made-up names cannot grow the table past maxNames. Not parallel:
// it starts from an empty table and puts the shared one back after.
func TestKnownNames(t *testing.T) {
	saved := known.Load()
	known.Store(nil)
	t.Cleanup(func() { known.Store(saved) })
	walk := func(doc string) *namesHandler {
		t.Helper()
		h := &namesHandler{}
		if _, err := Walk(bufio.NewReader(strings.NewReader(doc)), h); err != nil {
			t.Fatal(err)
		}
		return h
	}
	first := walk("<page><interned_name_a>1</interned_name_a></page>")
	second := walk("<page><interned_name_a>2</interned_name_a></page>")
	if unsafe.StringData(first.names[0]) != unsafe.StringData(second.names[0]) {
		t.Error("a name of an earlier document was allocated again")
	}

	var doc strings.Builder
	doc.WriteString("<page>")
	for i := range 2 * maxNames {
		fmt.Fprintf(&doc, "<made_up_%d>x</made_up_%d>", i, i)
	}
	doc.WriteString("</page>")
	walk(doc.String())
	walk(strings.ReplaceAll(doc.String(), "made_up_", "made_up_again_"))
	m := known.Load()
	if m == nil {
		t.Fatal("no names known")
	}
	if len(*m) > maxNames {
		t.Errorf("known names: %d, want at most %d", len(*m), maxNames)
	}

	long := strings.Repeat("n", maxNameLen+1)
	known.Store(nil)
	walk("<page><" + long + ">1</" + long + "></page>")
	if m := known.Load(); m != nil {
		if _, ok := (*m)[long]; ok {
			t.Errorf("a name of %d bytes was kept", len(long))
		}
	}
}
