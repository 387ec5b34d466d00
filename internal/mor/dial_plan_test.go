package mor

import (
	"strings"
	"testing"
)

func TestParseDialPlan(t *testing.T) {
	t.Parallel()
	for text, want := range map[string]DialPlanRef{
		"ivr main (ivr)":           {Name: "ivr main", Type: "ivr"},
		"testDialPlan (authbypin)": {Name: "testDialPlan", Type: "authbypin"},
		" Sales (old)  (ivr) ":     {Name: "Sales (old)", Type: "ivr"},
		"x(callback)":              {Name: "x", Type: "callback"},
	} {
		if got, err := ParseDialPlan(text); err != nil || got != want {
			t.Errorf("ParseDialPlan(%q) = %+v, %v; want %+v", text, got, err, want)
		}
	}
	for text, want := range map[string]string{
		"":                 "the text is empty",
		"ivr main":         `"ivr main" does not end with a type in parentheses`,
		"ivr main (ivr) x": "does not end with a type in parentheses",
		"ivr main ()":      "has no one-word type",
		"main (ivr menu)":  "has no one-word type",
		"main (ivr))":      "has no one-word type",
		"(ivr)":            `"(ivr)" has no name before the type`,
	} {
		_, err := ParseDialPlan(text)
		if err == nil || !strings.Contains(err.Error(), want) || !strings.HasSuffix(err.Error(), DialPlanFormat) {
			t.Errorf("ParseDialPlan(%q): error %v, want one holding %q", text, err, want)
		}
	}
}

// FuzzParseDialPlan: no input panics, and a parsed dial plan written back
// as MOR writes it parses to the same.
func FuzzParseDialPlan(f *testing.F) {
	for _, s := range []string{"ivr main (ivr)", "IVR menu (ivr)", "", "()", "a ()", "(", ")", "a (b) (c)", "a (b))", " ( x )"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		got, err := ParseDialPlan(text)
		if err != nil {
			return
		}
		if again, err := ParseDialPlan(got.Name + " (" + got.Type + ")"); err != nil || again != got {
			t.Fatalf("%+v parses back as %+v, %v", got, again, err)
		}
	})
}
