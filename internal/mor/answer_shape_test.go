package mor

import (
	"errors"
	"strings"
	"testing"
)

// Answers of the wrong shape are refused with an error that names elements
// only; the right shapes, MOR's errors and "nothing found" still decode.
func TestAnswerShapes(t *testing.T) {
	t.Parallel()
	const secret = "sip-pw-never-quoted"
	decoders := map[string]func(*body) (any, string, error){
		methodDevices: asAny(decodeDevices), methodDeviceDetails: asAny(decodeDeviceDetails), methodDIDs: asAny(decodeDIDs), methodCLIs: asAny(decodeCLIs),
	}
	for _, tc := range []struct {
		method, raw string
		// want is a phrase of the error; "" for an answer that decodes,
		// "mor:<text>" for MOR's own error.
		want string
	}{
		{methodDevices, `<page/>`, "the answer is <page> holding nothing, not <page><devices>"},
		{methodDIDs, `<page><status>ok</status></page>`, "the answer is <page> holding <status>, not <page><dids>"},
		{methodCLIs, `<page><status>ok</status></page>`, "<page> holding <status> holding no CLI"},
		{methodDeviceDetails, `<page><status>ok</status></page>`, "the answer is <page> holding <status>, not a device record"},
		{methodDevices, `<status><devices><device><device_id>1</device_id></device></devices></status>`, "the answer is <status> holding <devices>"},
		{methodDevices, `<page><page><devices><device><device_id>1</device_id><secret>` + secret + `</secret></device></devices></page></page>`, "holding <page>"},
		{methodDevices, `<page><devices><device><device_id>1</device_id></device><x/></devices></page>`, "<x> in <devices>"},
		{methodDevices, `<page><devices><device><device_id>1</device_id><secret>` + secret + `</secret></device></devices><error>Device not found</error></page>`, "records together with an <error>"},
		{methodDevices, `<page><devices><device><device_id>1</device_id><secret>` + secret + `</secret><secret>b</secret></device></devices></page>`, "a device record gives <secret> twice"},
		{methodDevices, `<page><devices><device><device_id>1</device_id></device><device><device_id>1</device_id></device></devices></page>`, "two records with id 1"},
		{methodDIDs, `<page><dids><did><id>4</id><did>1</did></did><did><id>4</id><did>2</did></did></dids></page>`, "two records with id 4"},
		{methodDIDs, `<page><dids><did><id>4</id><did>1</did></did><did><id>5</id></did></dids></page>`, "a DID record without its number"},
		{methodDIDs, `<page><dids><did><id>4</id><did/></did></dids></page>`, "a DID record without its number"},
		{methodDIDs, `<page><dids><did><did>1</did></did><did><did>1</did></did></dids></page>`, ""}, // no ids: nothing to compare
		{methodCLIs, `<page><status><cli_id>2</cli_id><cli_cli>1</cli_cli><cli_id>2</cli_id><cli_cli>1</cli_cli></status></page>`, "two records with id 2"},
		{methodCLIs, `<page><other><cli_id>2</cli_id></other></page>`, "holding <other>, not <page><status>"},
		{methodDeviceDetails, `<page><id>1</id><username>a</username><username>b</username></page>`, "a device record gives <username> twice"},
		{methodDeviceDetails, `<page><device><id>1</id><secret>` + secret + `</secret></device></page>`, "the answer is <page> holding <device>, not a device record"},
		{methodDeviceDetails, `<page><id>1</id><secret>` + secret + `</secret></page>`, ""},
		{methodDeviceDetails, `<page><username>101</username></page>`, ""}, // before 2019: no id
		// Records of made-up fields past what a slice holds: still checked.
		{methodDevices, `<page><devices><device><device_id>1</device_id>` + madeUpFields() + `</device></devices></page>`, ""},
		{methodDevices, `<page><devices><device><device_id>1</device_id>` + madeUpFields() + `<f150/></device></devices></page>`, "a device record gives <f150> twice"},
		{methodDIDs, `<page><dids><did><id>4</id>` + madeUpFields() + `<f3/></did></dids></page>`, "a DID record gives <f3> twice"},
		{methodCLIs, `<page><status><cli_id>2</cli_id>` + madeUpFields() + `<f7/></status></page>`, "a CLI record gives <f7> twice"},
		// A field holding elements where its value belongs (a value with an
		// unescaped tag in it): it would be read as no value at all.
		{methodDevices, `<page><devices><device><device_id>1</device_id><secret><b>` + secret + `</b></secret></device></devices></page>`, "a device record has elements inside a field"},
		{methodDevices, `<page><devices><device><device_id>1</device_id><secret>a</secret><secret><x/></secret></device></devices></page>`, "a device record has elements inside a field"},
		{methodDIDs, `<page><dids><did><id>4</id><status><s>Free</s></status></did></dids></page>`, "a DID record has elements inside a field"},
		{methodCLIs, `<page><status><cli_id>2</cli_id><cli_cli><x>1</x></cli_cli></status></page>`, "a CLI record has elements inside a field"},
		{methodDeviceDetails, `<page><id>1</id><username>u</username><secret><b>` + secret + `</b></secret></page>`, "a device record has elements inside a field"},
		{methodDeviceDetails, `<page><id>1</id><username>u</username><codecs><audio_codecs><a>alaw</a></audio_codecs></codecs></page>`, "a device record has elements inside a field"},
		{methodDeviceDetails, `<page><id>1</id><username>u</username><codecs>alaw</codecs></page>`, "<codecs> holds a value"},
		{methodDeviceDetails, `<page><id>1</id><username>u</username><codecs/></page>`, ""},
		{methodDeviceDetails, `<page><status><status>Bad login</status></status></page>`, "mor:Bad login"},
		// An <error> or <status> inside a field is no error of MOR's, and
		// its text (a password, say) is not quoted.
		{methodDeviceDetails, `<page><username>101</username><secret><error>` + secret + `</error></secret></page>`, "a device record has elements inside a field"},
		{methodDeviceDetails, `<page><secret><error>` + secret + `</error></secret></page>`, "a device record has elements inside a field"},
		{methodDeviceDetails, `<page><secret><status>Access Denied</status></secret></page>`, "a device record has elements inside a field"},
		{methodDeviceDetails, `<page><status><error>Incorrect hash</error></status></page>`, "mor:Incorrect hash"},
		{methodDevices, `<page><devices><device><device_id>1</device_id><error>` + secret + `</error></device></devices></page>`, "a device record holds an <error> among its fields"},
		{methodDIDs, `<page><dids><did><id>4</id><error>` + secret + `</error></did></dids></page>`, "a DID record holds an <error> among its fields"},
		// Codecs given twice, as a column would be.
		{methodDeviceDetails, `<page><id>5</id><codecs><audio_codecs>alaw</audio_codecs><audio_codecs>g729</audio_codecs></codecs></page>`, "gives <audio_codecs> twice"},
		{methodDeviceDetails, `<page><id>5</id><codecs><audio_codecs>alaw</audio_codecs></codecs><codecs><video_codecs>h263</video_codecs></codecs></page>`, "gives <codecs> twice"},
		// A record holding no fields, and a list given twice.
		{methodDIDs, `<page><dids><did>` + secret + `</did><did/></dids></page>`, "a <did> record holding no fields"},
		{methodDevices, `<page><devices><device><device_id>1</device_id></device></devices><devices><device><device_id>2</device_id></device></devices></page>`, "<page><devices> 2 times"},
		{methodDIDs, `<page><dids><did><id>4</id></did></dids><dids/></page>`, "<page><dids> 2 times"},
		{methodCLIs, `<page><status><cli_id>2</cli_id></status><status><cli_id>3</cli_id></status></page>`, "<page><status> 2 times"},
		// Text where a list's records belong, CLI fields out of place, a
		// CLI without its number, and columns under <status> in a record.
		{methodDevices, `<page><devices>` + secret + `</devices></page>`, "<devices> holds text where its records belong"},
		{methodDIDs, `<page><dids>` + secret + `</dids></page>`, "<dids> holds text where its records belong"},
		{methodCLIs, `<page><status><cli_id>1</cli_id><cli_cli>1</cli_cli></status><cli_id>2</cli_id><cli_cli>2</cli_cli></page>`, "<cli_id> outside <page><status>"},
		{methodCLIs, `<page><status><cli_id>1</cli_id></status></page>`, "a CLI record without <cli_cli>"},
		{methodCLIs, `<page><status><cli_id>1</cli_id><cli_id>2</cli_id><cli_cli>2</cli_cli></status></page>`, "a CLI record without <cli_cli>"},
		{methodDeviceDetails, `<page><id>1</id><username>u</username><status><secret>` + secret + `</secret></status></page>`, "a device record has elements inside a field"},
		{methodDeviceDetails, `<page><status><status>Access Denied</status></status></page>`, "mor:Access Denied"},
		{methodDevices, `<page><devices/></page>`, ""},
		{methodDevices, `<page><total>0</total><devices/></page>`, ""},
		{methodDevices, `<page><error>Device not found</error></page>`, "mor:Device not found"},
		{methodCLIs, `<page><status><error>CLIs were not found</error></status></page>`, "mor:CLIs were not found"},
	} {
		_, morErr, err := decodeWith(t, []byte(tc.raw), decoders[tc.method])
		switch {
		case strings.HasPrefix(tc.want, "mor:"):
			if err != nil || morErr != strings.TrimPrefix(tc.want, "mor:") {
				t.Errorf("%s %s: MOR error %q, err %v", tc.method, tc.raw, morErr, err)
			}
		case tc.want == "":
			if err != nil || morErr != "" {
				t.Errorf("%s %s: MOR error %q, err %v", tc.method, tc.raw, morErr, err)
			}
		case !errors.Is(err, ErrUnexpectedAnswer) || !strings.Contains(err.Error(), tc.want):
			t.Errorf("%s %s: err %v, want %q", tc.method, tc.raw, err, tc.want)
		case strings.Contains(err.Error(), secret):
			t.Errorf("%s: the error quotes element text: %v", tc.method, err)
		}
	}
}

func TestDeviceDetailsIsFor(t *testing.T) {
	t.Parallel()
	id := func(n int64) *int64 { return &n }
	d := &DeviceDetails{ID: id(102), Fields: map[string]string{"username": "1102"}}
	if err := d.isFor(DeviceQuery{ID: id(101)}); !errors.Is(err, ErrUnexpectedAnswer) || !strings.Contains(err.Error(), "device 102, not of device 101") {
		t.Errorf("another id: %v", err)
	}
	if err := d.isFor(DeviceQuery{Username: "1101"}); !errors.Is(err, ErrUnexpectedAnswer) || strings.Contains(err.Error(), "1102") {
		t.Errorf("another username: %v", err)
	}
	if err := d.isFor(DeviceQuery{ID: id(102)}); err != nil {
		t.Error(err)
	}
	// MOR looks device_u up in MySQL, whose default collation ignores case.
	alice := &DeviceDetails{ID: id(7), Fields: map[string]string{"username": "Alice"}}
	if err := alice.isFor(DeviceQuery{Username: "alice"}); err != nil {
		t.Errorf("the username in another letter case: %v", err)
	}
	old := &DeviceDetails{Fields: map[string]string{"username": "101"}}
	if err := old.isFor(DeviceQuery{ID: id(5)}); err != nil {
		t.Errorf("a record without id (before 2019): %v", err)
	}
}

func TestRedactAnyCase(t *testing.T) {
	t.Parallel()
	c := &Client{secrets: []string{"Key-ab"}}
	hash := "0a1b2c3d4e5f"
	got := c.redact("hash=0A1B2C3D4E5F key=KEY-AB, \xff 0a1b2C3d4e5f", hash)
	if got != "hash=[redacted] key=[redacted], \xff [redacted]" {
		t.Errorf("got %q", got)
	}
}

// A password that holds the key is redacted whole, not around the key.
func TestRedactSecretHoldingAnother(t *testing.T) {
	t.Parallel()
	c := &Client{secrets: []string{"Sk3yS3cr3tZ", "Mallory-Sk3yS3cr3tZ-2026"}}
	if got := c.redact("Access Denied for p=Mallory-Sk3yS3cr3tZ-2026"); got != "Access Denied for p=[redacted]" {
		t.Errorf("got %q", got)
	}
}

func TestRedactUserinfo(t *testing.T) {
	t.Parallel()
	for raw, want := range map[string]string{
		"http://u:pw@mor.example.com/billing": "http://[redacted]@mor.example.com/billing",
		"https://u:p@ss@mor:bad/billing":      "https://[redacted]@mor:bad/billing",
		"u:pw@mor.example.com":                "[redacted]@mor.example.com",
		"https://mor.example.com/billing":     "https://mor.example.com/billing",
	} {
		if got := RedactUserinfo(raw); got != want {
			t.Errorf("%s: %s, want %s", raw, got, want)
		}
	}
	for _, raw := range []string{"http://u:pw@mor.example.com/billing", "http://u:pw@mor:x/billing", "ftp://u:pw@mor", "http://u:pw/x@mor"} {
		if _, err := NormalizeBaseURL(raw); err == nil || strings.Contains(err.Error(), "pw") {
			t.Errorf("%s: %v", raw, err)
		}
	}
}

func TestDisplayMessage(t *testing.T) {
	t.Parallel()
	if got := displayMessage("Access \x1b[2K\x1b]0;title\x07Denied\r\n\u202e!\u009b31m"); got != "Access Denied !" {
		t.Errorf("got %q", got)
	}
	long := displayMessage(strings.Repeat("x", 900<<10))
	if len(long) > maxMessage+40 || !strings.HasSuffix(long, "… (cut: 900 KB in all)") {
		t.Errorf("got %d bytes ending %q", len(long), long[len(long)-30:])
	}
}

func TestExcerptQuotesNoElementText(t *testing.T) {
	t.Parallel()
	same := func(s string) string { return s }
	for raw, want := range map[string]string{
		"PHP Notice: x\n<?xml version=\"1.0\"?><page><secret>pw</secret></page>": "PHP Notice: x",
		"<?xml version=\"1.0\"?><page><secret>pw</secret></page>":                "",
		"<device><title>pw</title></device>":                                     "",
		"<!DOCTYPE html><html><head><title>502 Bad Gateway</title>":              "502 Bad Gateway",
		"\xff\xfe<\x00p\x00":         "",
		"Blocked \x1b[31mred\x1b[0m": "Blocked red",
	} {
		got, title := excerpt([]byte(raw), same, nil)
		if got != want || title != strings.Contains(raw, "<title>502") {
			t.Errorf("%q: %q (a title: %v), want %q", raw, got, title, want)
		}
	}
}

// An HTML title echoing the password with entities is redacted as the
// password it spells.
func TestExcerptTitleEntities(t *testing.T) {
	t.Parallel()
	c := &Client{secrets: []string{"Pw0rd&Sec<ret>!"}}
	for _, title := range []string{"Pw0rd&#x26;Sec&#x3C;ret&#x3E;&#x21;", "Pw0rd&amp;Sec&#x3c;ret&gt;!"} {
		got, _ := excerpt([]byte("<html><head><title>Blocked: p="+title+"</title>"), func(s string) string { return c.redact(s) }, nil)
		if got != "Blocked: p=[redacted]" {
			t.Errorf("%s: %q", title, got)
		}
	}
}

// A value that does not parse is named by its column, not quoted.
func TestUnparsedValuesNotQuoted(t *testing.T) {
	t.Parallel()
	const secret = "sip-pw-in-the-port-column"
	_, _, err := decodeWith(t, []byte(`<page><devices><device><device_id>1</device_id><port>`+secret+`</port></device></devices></page>`), decodeDevices)
	if err == nil || strings.Contains(err.Error(), secret) || !strings.Contains(err.Error(), "<port> holds 25 characters of text, not a whole number") {
		t.Errorf("got %v", err)
	}
	_, _, err = decodeWith(t, []byte(`<page><status><cli_id>1</cli_id><cli_banned>`+secret+`</cli_banned></status></page>`), decodeCLIs)
	if err == nil || strings.Contains(err.Error(), secret) {
		t.Errorf("got %v", err)
	}
}

// A status search filtered by the client refuses a DID it cannot place
// (no status, or one MOR does not have) instead of dropping it.
func TestWithStatusRefusesUnknownStatuses(t *testing.T) {
	t.Parallel()
	str := func(s string) *string { return &s }
	kept, err := withStatus([]DID{{Number: "1", Status: str("ACTIVE")}, {Number: "2", Status: str("Free")}}, "active")
	if err != nil || len(kept) != 1 || kept[0].Number != "1" {
		t.Errorf("known statuses: %v, %v", kept, err)
	}
	for _, status := range []*string{nil, str("Aktiv"), str("Suspended"), str("1"), str("Act\u200bive")} {
		if _, err := withStatus([]DID{{Number: "3", Status: status}}, "active"); err == nil {
			t.Errorf("status %v: accepted", status)
		}
	}
}
