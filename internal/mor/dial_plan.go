package mor

import (
	"fmt"
	"strings"
	"unicode"
)

// DialPlanRef is a dial plan as MOR names it in a DID's dial_plan column:
// "IVR menu (ivr)".
type DialPlanRef struct {
	Name string
	// Type is MOR's dial plan type: ivr, authbypin, callback, ….
	Type string
}

// DialPlanFormat says what a dial plan reference must look like.
const DialPlanFormat = `expected "name (type)" as MOR writes a DID's dial plan, e.g. "IVR menu (ivr)"`

// ParseDialPlan splits "IVR menu (ivr)" into its name and type. The type is
// in the last parentheses, so a name may hold parentheses of its own
// ("Sales (old) (ivr)"); the type is one word. Spaces around the name and
// the whole are ignored.
func ParseDialPlan(text string) (DialPlanRef, error) {
	text = strings.TrimSpace(text)
	open := strings.LastIndex(text, "(")
	switch {
	case text == "":
		return DialPlanRef{}, fmt.Errorf("the text is empty; %s", DialPlanFormat)
	case open < 0 || !strings.HasSuffix(text, ")"):
		return DialPlanRef{}, fmt.Errorf("%q does not end with a type in parentheses; %s", text, DialPlanFormat)
	}
	name, typ := strings.TrimSpace(text[:open]), text[open+1:len(text)-1]
	switch {
	case typ == "" || strings.IndexFunc(typ, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) || r == ')' }) >= 0:
		return DialPlanRef{}, fmt.Errorf("%q has no one-word type in its last parentheses; %s", text, DialPlanFormat)
	case name == "":
		return DialPlanRef{}, fmt.Errorf("%q has no name before the type; %s", text, DialPlanFormat)
	}
	return DialPlanRef{Name: name, Type: typ}, nil
}
