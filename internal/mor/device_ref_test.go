package mor

import (
	"strings"
	"testing"
)

func TestParseDeviceRef(t *testing.T) {
	t.Parallel()
	for text, want := range map[string]DeviceRef{
		"SIP/1251":         {Protocol: "SIP", Name: "1251"},
		" IAX2/101 ":       {Protocol: "IAX2", Name: "101"},
		"dahdi/g1/5551234": {Protocol: "dahdi", Name: "g1/5551234"},
	} {
		if got, err := ParseDeviceRef(text); err != nil || got != want {
			t.Errorf("ParseDeviceRef(%q) = %+v, %v; want %+v", text, got, err, want)
		}
	}
	for text, want := range map[string]string{
		"":               "the text is empty",
		"1251":           `"1251" has no "/"`,
		"/1251":          `"/1251" does not start with a technology`,
		"SIP /1251":      `"SIP /1251" does not start with a technology`,
		"SIP/":           `"SIP/" has no device name`,
		"SIP/1251 SIP/2": "holds a space or a control character",
	} {
		_, err := ParseDeviceRef(text)
		if err == nil || !strings.Contains(err.Error(), want) || !strings.HasSuffix(err.Error(), DeviceRefFormat) {
			t.Errorf("ParseDeviceRef(%q): error %v, want one holding %q", text, err, want)
		}
	}
}

// FuzzParseDeviceRef: no input panics, and a parsed reference written back
// as MOR writes it parses to the same.
func FuzzParseDeviceRef(f *testing.F) {
	for _, s := range []string{"SIP/1251", "IAX2/101", "", "/", "SIP/", "/x", "a/b/c", "SIP/\x00", "é/1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		got, err := ParseDeviceRef(text)
		if err != nil {
			return
		}
		if again, err := ParseDeviceRef(got.Protocol + "/" + got.Name); err != nil || again != got {
			t.Fatalf("%+v parses back as %+v, %v", got, again, err)
		}
	})
}
