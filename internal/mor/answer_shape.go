package mor

import (
	"fmt"
	"slices"
	"strings"
)

// Each method's answer has its shape (DESIGN.md, "Answer shapes"): an
// answer of another shape is refused, never read as an empty or partial
// result. Errors about it quote element names only: element text can hold
// a record's credentials.

// answerShape notes the element names of an answer's first two levels, to
// say what came back.
type answerShape struct {
	root     string
	children []string // distinct names under the root, the first few
	more     bool
	// container is the element under <page> that holds the records; found
	// tells whether the answer has it there, and containers how many times.
	container  string
	found      bool
	containers int
}

const shownChildren = 3

func (s *answerShape) start(depth int, name string) {
	switch depth {
	case 1:
		s.root = name
	case 2:
		if name == s.container && s.root == "page" {
			s.found = true
			s.containers++
		}
		for _, c := range s.children {
			if c == name {
				return
			}
		}
		if len(s.children) == shownChildren {
			s.more = true
			return
		}
		s.children = append(s.children, name)
	}
}

func (s *answerShape) String() string {
	if len(s.children) == 0 {
		return tag(s.root) + " holding nothing"
	}
	names := make([]string, len(s.children))
	for i, c := range s.children {
		names[i] = tag(c)
	}
	out := tag(s.root) + " holding " + strings.Join(names, ", ")
	if s.more {
		out += " and more"
	}
	return out
}

// containerTwice refuses an answer holding its container more than once
// (containers > 1): MOR sends one list, and which holds MOR's records cannot
// be told.
func (s *answerShape) containerTwice() error {
	return unexpectedAnswer("the answer holds <page><%s> %d times, where MOR sends it once", s.container, s.containers)
}

// tag quotes an element name without its invisible characters, or, past
// maxTagName bytes (no MOR name is that long), only says how long it is: a
// name cut short could hold the start of a secret that redaction would no
// longer match.
func tag(name string) string {
	if name = dropInvisible(name); len(name) > maxTagName {
		return fmt.Sprintf("<a name of %d bytes>", len(name))
	}
	return "<" + name + ">"
}

// maxTagName is the longest element name quoted.
const maxTagName = 40

// unexpectedAnswer is an answer of the wrong shape, as an error.
func unexpectedAnswer(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrUnexpectedAnswer}, args...)...)
}

// refusedAnswer is the error for an answer whose shape was right but whose
// content, checked once the call ended, does not answer the request.
func refusedAnswer(method string, err error) error {
	return &ResponseError{Method: method, StatusCode: 200, Problem: shapeProblem(err), Err: err}
}

// shapeProblem is an unexpectedAnswer error's words, for a ResponseError's
// Problem (which the class's name would only repeat).
func shapeProblem(err error) string {
	return strings.TrimPrefix(err.Error(), ErrUnexpectedAnswer.Error()+": ")
}

// wrongShape says what came back in place of want.
func wrongShape(got *answerShape, want string) error {
	return unexpectedAnswer("the answer is %s, not %s", got, want)
}

// recordsWithError refuses an answer holding records and an <error>: one of
// the two is wrong, and nothing tells which.
func recordsWithError(morError string) error {
	// In quotes, not %q: its escaping would change a secret in the message
	// into a form that redaction does not know.
	return unexpectedAnswer("the answer holds records together with an <error> (\"%s\")", displayMessage(morError))
}

// fieldNames notes the fields of one record, to refuse one given twice
// (which of the two values is MOR's?). MOR's records have a dozen fields,
// which a slice holds best; past fewFields (no MOR record, but an answer can
// hold any number) a map keeps each check constant-time, so a record of
// thousands of made-up fields costs no more than its size.
type fieldNames struct {
	few  []string
	many map[string]struct{}
}

const fewFields = 64

func (f *fieldNames) add(record, name string) error {
	twice := false
	switch {
	case f.many != nil:
		_, twice = f.many[name]
		f.many[name] = struct{}{}
	case slices.Contains(f.few, name):
		twice = true
	case len(f.few) < fewFields:
		f.few = append(f.few, name)
	default:
		f.many = make(map[string]struct{}, 2*fewFields)
		for _, n := range f.few {
			f.many[n] = struct{}{}
		}
		f.many[name] = struct{}{}
	}
	if twice {
		return unexpectedAnswer("a %s record gives %s twice", record, tag(name))
	}
	return nil
}

// has reports whether the record gave name.
func (f *fieldNames) has(name string) bool {
	if f.many != nil {
		_, ok := f.many[name]
		return ok
	}
	return slices.Contains(f.few, name)
}

// leaf judges a leaf met inside a record whose fields sit at fieldDepth,
// and notes a field to read (ok). Below the fields it is a field holding
// elements; an <error> among them is none of MOR's; a field given twice is
// refused.
func (f *fieldNames) leaf(record string, fieldDepth, depth int, name string) (ok bool, err error) {
	switch {
	case depth > fieldDepth:
		return false, nestedInField(record)
	case depth < fieldDepth:
		return false, nil
	case name == "error":
		return false, errorInRecord(record)
	}
	if err := f.add(record, name); err != nil {
		return false, err
	}
	return true, nil
}

func (f *fieldNames) reset() { f.few, f.many = f.few[:0], nil }

// nestedInField refuses an element inside a record's field: the field holds
// elements where its value belongs (a value with an unescaped tag in it,
// say), and read as leaves alone it would be dropped without a word. The
// element is not named: its name may be a piece of that value.
func nestedInField(record string) error {
	return unexpectedAnswer("a %s record has elements inside a field, where its value belongs (a value with an unescaped tag in it?)", record)
}

// containerText refuses a list's container holding text where its records
// belong: read as an empty list, it would say MOR has none. The text is not
// quoted.
func containerText(container string) error {
	return unexpectedAnswer("<%s> holds text where its records belong", container)
}

// errorInRecord refuses an <error> among a record's fields, where MOR never
// puts its errors; its text is not quoted, as it may be a field's value.
func errorInRecord(record string) error {
	return unexpectedAnswer("a %s record holds an <error> among its fields", record)
}

// duplicateID refuses a list with two records of one id: the ids key the
// provider's maps, and one of the two would be lost. Sorting a copy of the
// ids costs a fraction of the memory a set of them would.
func duplicateID[T any](items []T, id func(*T) (int64, bool)) error {
	ids := make([]int64, 0, len(items))
	for i := range items {
		if n, ok := id(&items[i]); ok {
			ids = append(ids, n)
		}
	}
	slices.Sort(ids)
	for i := 1; i < len(ids); i++ {
		if ids[i] == ids[i-1] {
			return unexpectedAnswer("the answer holds two records with id %d", ids[i])
		}
	}
	return nil
}
