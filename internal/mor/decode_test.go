package mor

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/mor-terraform/terraform-provider-mor/internal/mor/xmlscan"
)

func TestHashVectors(t *testing.T) {
	t.Parallel()
	// Every example of the hash table in DESIGN.md.
	for _, tc := range []struct {
		name   string
		key    string
		values []string
		want   string
	}{
		{"device_details_get device_id 5", "456789", []string{"5"}, "65fd575c441513bd114b84c7dbdb01e0f2716d27"},
		{"device_details_get device_id 2", "secret", []string{"2"}, "38282ca5e65e63746498ef5b39a2fe71c6448df4"},
		{"devices_get user_id 100", "456789", []string{"100"}, "71516eea4850f7e0300ac86adf9fb64bca845aa7"},
		{"device_clis_get key alone", "secret", nil, "e5e9fa1ba31ecd1ae84f75caaa474f3a663f05f4"},
		{"dids_get key alone", "secret", nil, "e5e9fa1ba31ecd1ae84f75caaa474f3a663f05f4"},
		{"users_get u admin p admin1", "secret", []string{"admin", "admin1"}, "c420ef706a02e6449994b7575b25ef5f74cc722b"},
	} {
		if got := hashOf(tc.key, tc.values...); got != tc.want {
			t.Errorf("%s: hash %s, want %s", tc.name, got, tc.want)
		}
	}
}

func TestDecodeSeedDevices(t *testing.T) {
	t.Parallel()
	// The seed shows placeholders (device_id, device_ipaddr); the fixture
	// holds sample values in the same layout.
	got, morErr, err := decodeWith(t, readFixture(t, "seed_devices_get.xml"), decodeDevices)
	if err != nil || morErr != "" {
		t.Fatalf("err %v, MOR error %q", err, morErr)
	}
	want := []Device{
		{DeviceID: 7, DeviceType: ptr("SIP"), IPAddr: ptr("192.0.2.10"), Port: ptr[int64](5060)},
		{DeviceID: 8, DeviceType: ptr("SIP"), IPAddr: ptr("192.0.2.11"), Port: ptr[int64](5061)},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}

func TestDecodeSeedDIDs(t *testing.T) {
	t.Parallel()
	got, morErr, err := decodeWith(t, readFixture(t, "seed_dids_get.xml"), decodeDIDs)
	if err != nil || morErr != "" {
		t.Fatalf("err %v, MOR error %q", err, morErr)
	}
	want := []DID{
		{ID: ptr[int64](6501), Number: "37066xxxxxx", Provider: ptr("Test Provider"), Language: ptr("language"), Status: ptr("Active"),
			Reseller: ptr("Test Reseller"), Owner: ptr("User Resellers"), Device: ptr("IAX2/105"), SimultaneousCallLimit: ptr("Unlimited"), ToneZone: ptr("it")},
		{ID: ptr[int64](6502), Number: "37066xxxxxx", Provider: ptr("Test Provider"), Status: ptr("Active"),
			Reseller: ptr("Test Reseller"), DialPlan: ptr("testDialPlan (authbypin)"), SimultaneousCallLimit: ptr("Unlimited")},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}

func TestDecodeSeedCLIs(t *testing.T) {
	t.Parallel()
	got, morErr, err := decodeWith(t, readFixture(t, "seed_device_clis_get.xml"), decodeCLIs)
	if err != nil || morErr != "" {
		t.Fatalf("err %v, MOR error %q", err, morErr)
	}
	want := []CLI{{ID: 3, CLI: ptr("45456464"), Domain: ptr("test.domain"), Device: ptr("IAX2/ipauth4aa73a4300"), Description: ptr("Test Reseller"),
		AddedAt: ptr("2015-08-31 12:40:23 +0300"), UpdatedAt: ptr("2015-08-31 16:14:48 +0300"), Comment: ptr("rhrtghg"), EmailCallback: ptr(false), Banned: ptr(false)}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}

func TestDecodeFlatCLIGroups(t *testing.T) {
	t.Parallel()
	raw := []byte(`<?xml version="1.0" encoding="UTF-8"?>
<page>
  <status>
    <cli_id>5</cli_id>
    <cli_cli>111</cli_cli>
    <cli_device>SIP/101</cli_device>
    <cli_ivr>Main IVR</cli_ivr>
    <cli_email_callback>1</cli_email_callback>
    <cli_banned>0</cli_banned>
    <cli_id>6</cli_id>
    <cli_cli>222</cli_cli>
    <cli_comment/>
    <cli_banned>1</cli_banned>
  </status>
</page>`)
	got, _, err := decodeWith(t, raw, decodeCLIs)
	if err != nil {
		t.Fatal(err)
	}
	want := []CLI{
		{ID: 5, CLI: ptr("111"), Device: ptr("SIP/101"), IVR: ptr("Main IVR"), EmailCallback: ptr(true), Banned: ptr(false)},
		{ID: 6, CLI: ptr("222"), Banned: ptr(true)},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}

func TestDecodeSeedDeviceDetails(t *testing.T) {
	t.Parallel()
	got, morErr, err := decodeWith(t, readFixture(t, "seed_device_details_get.xml"), decodeDeviceDetails)
	if err != nil || morErr != "" {
		t.Fatalf("err %v, MOR error %q", err, morErr)
	}
	if len(got.Fields) != 153 {
		t.Errorf("%d fields, want the seed's 153", len(got.Fields))
	}
	for name, want := range map[string]string{
		"name": "101", "host": "dynamic", "secret": "vauvszef", "callerid": `"101" <101>`, "device_type": "IAX2",
		"description": "Test Device #1", "pin": "", "fullcontact": "", "canreinvite": "no", "session-timers": "",
		"call-limit": "", "auth": "md5", "defaultuser": "101", "type": "friend", "permit": "0.0.0.0/0.0.0.0", "dynamic": "",
	} {
		if v, ok := got.Fields[name]; !ok || v != want {
			t.Errorf("field %s = %q (present %v), want %q", name, v, ok, want)
		}
	}
	if got.Port == nil || *got.Port != 0 || got.ID != nil || got.UserID != nil {
		t.Errorf("typed fields: port %v id %v user_id %v", got.Port, got.ID, got.UserID)
	}
	if len(got.AudioCodecs) != 0 || len(got.VideoCodecs) != 0 || got.AudioCodecs == nil {
		t.Errorf("codecs %#v %#v, want empty non-nil lists", got.AudioCodecs, got.VideoCodecs)
	}
}

func TestDecodeCodecsAndNewColumns(t *testing.T) {
	t.Parallel()
	raw := []byte(`<page><id> 12 </id><user_id>
3</user_id><name>x</name><balance>1.5</balance>
<codecs><audio_codecs>alaw, ulaw, g729</audio_codecs><video_codecs>h264</video_codecs></codecs></page>`)
	got, _, err := decodeWith(t, raw, decodeDeviceDetails)
	if err != nil {
		t.Fatal(err)
	}
	if *got.ID != 12 || *got.UserID != 3 || got.Fields["balance"] != "1.5" {
		t.Errorf("got %+v", got)
	}
	if !reflect.DeepEqual(got.AudioCodecs, []string{"alaw", "ulaw", "g729"}) || !reflect.DeepEqual(got.VideoCodecs, []string{"h264"}) {
		t.Errorf("codecs %v %v", got.AudioCodecs, got.VideoCodecs)
	}
}

// A record without codec lists says nothing of its codecs: nil, not the
// empty list MOR sends for no codec enabled.
func TestDecodeMissingCodecListsAreNil(t *testing.T) {
	t.Parallel()
	for raw, want := range map[string][2]bool{
		`<page><id>5</id></page>`:                                                {true, true},
		`<page><id>5</id><codecs/></page>`:                                       {true, true},
		`<page><id>5</id><codecs><audio_codecs/></codecs></page>`:                {false, true},
		`<page><id>5</id><codecs><video_codecs> </video_codecs></codecs></page>`: {true, false},
	} {
		got, _, err := decodeWith(t, []byte(raw), decodeDeviceDetails)
		if err != nil {
			t.Fatalf("%s: %v", raw, err)
		}
		if (got.AudioCodecs == nil) != want[0] || (got.VideoCodecs == nil) != want[1] {
			t.Errorf("%s: audio %#v video %#v, want nil %v", raw, got.AudioCodecs, got.VideoCodecs, want)
		}
	}
}

// MOR keeps -1 in some columns that name another row: a provider's device
// has user_id -1. Such a record is MOR's true answer; only a record's own id
// cannot be negative.
func TestDecodeNegativeNumbersOutsideIDs(t *testing.T) {
	t.Parallel()
	details, _, err := decodeWith(t, []byte(`<page><id>31</id><user_id>-1</user_id><name>prov31</name><call_limit>-1</call_limit></page>`), decodeDeviceDetails)
	if err != nil || *details.UserID != -1 || *details.CallLimit != -1 {
		t.Errorf("a provider's device: %+v, %v, want user_id -1 and call_limit -1", details, err)
	}
	devices, _, err := decodeWith(t, []byte(`<page><devices><device><device_id>31</device_id><devicegroup_id>-1</devicegroup_id></device></devices></page>`), decodeDevices)
	if err != nil || *devices[0].DevicegroupID != -1 {
		t.Errorf("devicegroup_id -1: %+v, %v", devices, err)
	}
	users, _, err := decodeWith(t, []byte(`<page><status><users><user><id>2</id><owner_id>0</owner_id><lcr_id>-1</lcr_id><tariff_id>-1</tariff_id></user></users></status></page>`), decodeUsers)
	if err != nil || *users[0].LCRID != -1 || *users[0].TariffID != -1 {
		t.Errorf("lcr_id and tariff_id -1: %+v, %v", users, err)
	}
	if _, _, err := decodeWith(t, []byte(`<page><id>-31</id><user_id>-1</user_id></page>`), decodeDeviceDetails); !errors.Is(err, xmlscan.ErrSyntax) {
		t.Errorf("a record whose own id is -31: %v, want it refused", err)
	}
}

func TestDecodeReadsPastUnknownDeviceFields(t *testing.T) {
	t.Parallel()
	raw := []byte(`<page><devices><device><device_id>1</device_id><primary_device>yes</primary_device><devicegroup_id>4</devicegroup_id>
<callerid>"A" &lt;1&gt;</callerid><new_column>v</new_column></device></devices></page>`)
	got, _, err := decodeWith(t, raw, decodeDevices)
	if err != nil {
		t.Fatal(err)
	}
	d := got[0]
	if *d.PrimaryDevice != true || *d.DevicegroupID != 4 || *d.CallerID != `"A" <1>` {
		t.Errorf("got %+v", d)
	}
}

// Every error message of mor-api.md, in every shape it is sent in.
func TestErrorsInEveryShape(t *testing.T) {
	t.Parallel()
	shapes := map[string]string{
		"status":        `<?xml version="1.0" encoding="UTF-8"?><status><error>%s</error></status>`,
		"page":          `<?xml version="1.0" encoding="UTF-8"?><page><error>%s</error></page>`,
		"bare":          `<?xml version="1.0" encoding="UTF-8"?><error>%s</error>`,
		"page status":   "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<page>\n  <status>\n    <error>\n  %s </error>\n  </status>\n</page>",
		"self-spaced":   "<page>\n <error> %s\n</error>\n</page>",
		"status status": `<page><status><status>%s</status></status></page>`,
	}
	messages := map[string]error{
		"Incorrect hash": ErrAuthentication, "Bad login": ErrAuthentication, "Access Denied": ErrAuthentication,
		"API Requests are disabled": ErrAuthentication, "GET Requests are disabled": ErrAuthentication,
		"API must have Secret Key": ErrAuthentication, "There is no such API": ErrUnsupported,
		"You are not authorized to view this page": ErrPermission, "You are not authorized to manage DIDs": ErrPermission,
		"You are not authorized to use this functionality": ErrPermission,
		"User not found": ErrNotFound, "User was not found": ErrNotFound, "Device was not found": ErrNotFound,
		"user_id is empty": ErrInvalidRequest, "No DIDs found": ErrNothingFound, "CLIs were not found": ErrNothingFound,
	}
	decoders := map[string]func(*body) (any, string, error){
		methodDevices: asAny(decodeDevices), methodDeviceDetails: asAny(decodeDeviceDetails), methodDIDs: asAny(decodeDIDs), methodCLIs: asAny(decodeCLIs),
	}
	for shapeName, shape := range shapes {
		for msg, kind := range messages {
			if shapeName == "status status" && !xmlscan.IsStatusError(msg) {
				continue // only status texts are sent that way
			}
			for method, decode := range decoders {
				raw := []byte(strings.Replace(shape, "%s", msg, 1))
				_, morErr, err := decodeWith(t, raw, decode)
				if err != nil || morErr != msg {
					t.Fatalf("%s/%s/%s: MOR error %q, err %v", shapeName, method, msg, morErr, err)
				}
				apiErr := newAPIError(method, morErr)
				wantKind := kind
				if method == methodDevices && msg == "Access Denied" {
					wantKind = ErrPermission
				}
				// "Nothing found" is an empty list only from its own method.
				if (msg == "No DIDs found" && method != methodDIDs) || (msg == "CLIs were not found" && method != methodCLIs) {
					wantKind = nil
				}
				if wrong := !errors.Is(apiErr.Kind, wantKind) && !errors.Is(apiErr, wantKind); wrong {
					t.Errorf("%s: %q classified %v, want %v", method, msg, apiErr.Kind, wantKind)
				}
			}
		}
	}
	if k := newAPIError(methodDevices, "Device not found").Kind; !errors.Is(k, ErrNothingFound) {
		t.Errorf("devices_get Device not found: %v", k)
	}
	if k := newAPIError(methodDeviceDetails, "Device not found").Kind; !errors.Is(k, ErrNotFound) {
		t.Errorf("device_details_get Device not found: %v", k)
	}
}

func TestCompressedBodies(t *testing.T) {
	t.Parallel()
	plain := readFixture(t, "seed_dids_get.xml")
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, _ = zw.Write(plain)
	_ = zw.Close()
	var gzgz bytes.Buffer
	zw = gzip.NewWriter(&gzgz)
	_, _ = zw.Write(gz.Bytes())
	_ = zw.Close()
	var zipped bytes.Buffer
	za := zip.NewWriter(&zipped)
	f, _ := za.Create("mor_api_response.xml")
	_, _ = f.Write(plain)
	_ = za.Close()

	// Two files: which is MOR's answer?
	var twoFiles bytes.Buffer
	za = zip.NewWriter(&twoFiles)
	for _, name := range []string{"a.xml", "b.xml"} {
		f, _ := za.Create(name)
		_, _ = f.Write(plain)
	}
	_ = za.Close()
	b, err := bodyOf(t, twoFiles.Bytes(), nil, DefaultMaxResponseBytes)
	if err == nil {
		b.release()
	}
	if err == nil || !strings.Contains(err.Error(), "holds 2 files, where MOR's holds one") {
		t.Errorf("a zip of two files: %v", err)
	}

	for _, tc := range []struct {
		name   string
		raw    []byte
		header http.Header
	}{
		{"plain", plain, nil},
		{"gzip sniffed", gz.Bytes(), nil},
		{"Content-Encoding gzip", gz.Bytes(), http.Header{"Content-Encoding": {"gzip"}}},
		{"Content-Encoding gzip of a gzip file", gzgz.Bytes(), http.Header{"Content-Encoding": {"gzip"}}},
		{"zip", zipped.Bytes(), nil},
	} {
		b, err := bodyOf(t, tc.raw, tc.header, DefaultMaxResponseBytes)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		dids, _, err := decodeDIDs(b)
		b.release()
		if err != nil || len(dids) != 2 {
			t.Errorf("%s: %d DIDs, err %v", tc.name, len(dids), err)
		}
	}
}

// What follows a gzip stream's end: another member is read on, white space
// let through, anything else refused; a stream cut short is a truncated
// answer. Alike whether Content-Encoding says gzip or the body is sniffed.
func TestGzipMembersAndWhatFollows(t *testing.T) {
	t.Parallel()
	plain := readFixture(t, "seed_dids_get.xml")
	gz := func(b []byte) []byte {
		var out bytes.Buffer
		w := gzip.NewWriter(&out)
		_, _ = w.Write(b)
		_ = w.Close()
		return out.Bytes()
	}
	whole := gz(plain)
	half := len(plain) / 2
	for name, tc := range map[string]struct {
		raw  []byte
		want string // a phrase of the error; "" when the two DIDs decode
	}{
		"one member":                {whole, ""},
		"two members":               {append(gz(plain[:half]), gz(plain[half:])...), ""},
		"a line break after":        {append(append([]byte{}, whole...), "\r\n"...), ""},
		"stray bytes after":         {append(append([]byte{}, whole...), "xyz"...), "goes on after its gzip stream ends"},
		"ten stray bytes after":     {append(append([]byte{}, whole...), "0123456789"...), "goes on after its gzip stream ends"},
		"the stream cut short":      {whole[:len(whole)/2], "truncated"},
		"a second member cut short": {append(gz(plain[:half]), gz(plain[half:])[:20]...), "truncated"},
		"many empty members first":  {append(bytes.Repeat(gz(nil), 300), whole...), ""},
	} {
		for _, header := range []http.Header{nil, {"Content-Encoding": {"gzip"}}} {
			b, err := bodyOf(t, tc.raw, header, DefaultMaxResponseBytes)
			var dids []DID
			if err == nil {
				dids, _, err = decodeDIDs(b)
				b.release()
			}
			switch {
			case tc.want == "" && (err != nil || len(dids) != 2):
				t.Errorf("%s (%v): %d DIDs, err %v", name, header, len(dids), err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("%s (%v): err %v, want %q", name, header, err, tc.want)
			}
		}
	}
}

func TestSizeCapAndGzipBomb(t *testing.T) {
	t.Parallel()
	plain := readFixture(t, "seed_dids_get.xml")
	b, err := bodyOf(t, plain, nil, 100)
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = decodeDIDs(b)
	if !errors.Is(err, ErrTooLarge) {
		t.Errorf("plain body over the cap: %v", err)
	}
	// 64 MiB of spaces in 64 KiB of gzip, against a 1 MiB cap.
	var bomb bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&bomb, gzip.BestCompression)
	_, _ = zw.Write([]byte("<page>"))
	zeros := make([]byte, 1<<20)
	for i := range zeros {
		zeros[i] = ' '
	}
	for range 64 {
		_, _ = zw.Write(zeros)
	}
	_, _ = zw.Write([]byte("</page>"))
	_ = zw.Close()
	b, err = bodyOf(t, bomb.Bytes(), nil, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = decodeDIDs(b)
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "exceeds 1048576 bytes") {
		t.Errorf("gzip bomb: %v", err)
	}
	// Under a large cap, the same bomb stops at the text-run bound, with
	// the text buffer bounded.
	b, err = bodyOf(t, bomb.Bytes(), nil, DefaultMaxResponseBytes)
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = decodeDIDs(b)
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "a text run of over 1 MiB") {
		t.Errorf("gzip bomb under the default cap: %v", err)
	}
}

func TestUnusableBodies(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		raw  string
		want error
	}{
		{"empty", "", xmlscan.ErrEmpty},
		{"whitespace", " \n ", xmlscan.ErrEmpty},
		{"plain text", "Internal Server Error", xmlscan.ErrNotXML},
		{"truncated", `<?xml version="1.0"?><page><dids><did><did>1</did>`, xmlscan.ErrTruncated},
		{"truncated mid-tag", `<page><dids><di`, xmlscan.ErrTruncated},
		{"mismatched", `<page><dids></did></page>`, xmlscan.ErrSyntax},
		{"bad entity", `<page><error>a &nbsp; b</error></page>`, xmlscan.ErrSyntax},
		{"invalid UTF-8", "<page><dids><did><did>\xff\xfe</did></did></dids></page>", xmlscan.ErrSyntax},
		{"bad number", `<page><dids><did><id>x</id></did></dids></page>`, xmlscan.ErrSyntax},
		{"two roots", `<page></page><page></page>`, xmlscan.ErrSyntax},
	} {
		_, _, err := decodeWith(t, []byte(tc.raw), decodeDIDs)
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: err %v, want %v", tc.name, err, tc.want)
		}
	}
	_, _, err := decodeWith(t, []byte("<!DOCTYPE html>\n<html><head><title>MOR: Login</title>"), decodeDIDs)
	var rootErr *xmlscan.UnexpectedRootError
	if !errors.As(err, &rootErr) || !strings.Contains(err.Error(), "HTML page") {
		t.Errorf("HTML page: %v", err)
	}
	if ex, title := excerpt([]byte("<!DOCTYPE html>\n<html><head><title>MOR:\n Login</title>"), func(s string) string { return s }, nil); ex != "MOR: Login" || !title {
		t.Errorf("excerpt %q (a title: %v)", ex, title)
	}
}

func TestScannerSyntax(t *testing.T) {
	t.Parallel()
	raw := []byte("\ufeff<?xml version=\"1.0\"?>\n<!DOCTYPE page [<!ENTITY x \"y\">]>\n<!-- c > d -->\n" +
		`<page><dids><did><did><![CDATA[a<b&c]]></did><comment>&#65;&#x42;&quot;&apos;&amp;</comment><status a="x>y">Free</status></did></dids></page>`)
	got, _, err := decodeWith(t, raw, decodeDIDs)
	if err != nil {
		t.Fatal(err)
	}
	if got[0].Number != "a<b&c" || *got[0].Comment != `AB"'&` || *got[0].Status != "Free" {
		t.Errorf("got %+v", got[0])
	}
}

// Values and references longer than the read buffer must decode whole.
func TestScannerLongValues(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("x&amp;", readerSize/3) + "end"
	raw := []byte("<page><dids><did><did>1</did><comment>" + long + "</comment></did></dids></page>")
	got, _, err := decodeWith(t, raw, decodeDIDs)
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.Repeat("x&", readerSize/3) + "end"; *got[0].Comment != want {
		t.Errorf("long value decoded to %d bytes, want %d", len(*got[0].Comment), len(want))
	}
}
