package provider

import (
	"encoding/base64"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"
)

// Each answer a broken or hostile server may send, through `terraform plan`
// with TF_LOG=TRACE: the plan fails with an error naming what came back, or
// succeeds with exactly the answer's values, and no device secret, key,
// password or hash (in either letter case) is in the output or the log.

const (
	hostileDeviceConfig = `
data "mor_device" "x" {
  device_id = 101
}
ephemeral "mor_device_credentials" "x" {
  device_id = 101
}
`
	hostileDevicesConfig = `
data "mor_devices" "x" {
  user_id         = 2
  include_secrets = true
}
output "n" {
  value = length(data.mor_devices.x.devices)
}
`
	hostileDIDsConfig = `
data "mor_dids" "x" {}
output "n" {
  value = length(data.mor_dids.x.dids)
}
`
	hostileCLIsConfig = `
data "mor_device_clis" "x" {}
output "n" {
  value = length(data.mor_device_clis.x.clis)
}
`
)

type hostileCase struct {
	name    string
	config  string
	answers map[string]hostileAnswer
	// url replaces the server's URL when set, given in MOR_URL as
	// Terraform quotes the configuration's own lines ("%s" stands for the
	// server's host and port).
	url string
	// wantError is a phrase of the error; wantOutput, for a plan that
	// must succeed, a phrase of its output.
	wantError, wantOutput string
	// notInOutput are phrases the output must not hold.
	notInOutput []string
	// certName makes the server serve https with a certificate for this
	// DNS name, reached as localhost; proxy makes it the HTTPS_PROXY of a
	// url on another host; oddPassword gives the provider a password with
	// characters that URL and HTML encoding change.
	certName           string
	proxy, oddPassword bool
	// httpProxy, when set, makes the server the HTTP_PROXY of an http://
	// url on another host, given with this user info (user:password, or a
	// token as the user).
	httpProxy string
}

// hostileOddPassword is a password whose encoded forms differ from it.
const hostileOddPassword = "P@ss w&rd<9-Hq"

// hostileSplit puts an invisible character, or an escape sequence, in the
// middle of a secret.
func hostileSplit(secret, mark string) string {
	return secret[:len(secret)/2] + mark + secret[len(secret)/2:]
}

// hostilePercentAll percent-encodes every byte of s.
func hostilePercentAll(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		fmt.Fprintf(&b, "%%%02x", s[i])
	}
	return b.String()
}

// hostileFormEncoded is s as a form value.
func hostileFormEncoded(s string) string { return url.QueryEscape(s) }

// hostileControls are bytes a terminal acts on, or that reorder text: none
// may reach the output or the log.
var hostileControls = map[string]string{"ESC": "\x1b", "BEL": "\a", "C1 CSI": "\u009b", "RLO": "\u202e", "LRM": "\u200e", "RLM": "\u200f",
	"variation selector": "\ufe0e", "grapheme joiner": "\u034f"}

func hostilePage(inner string) []byte { return []byte(xmlDecl + "<page>" + inner + "</page>\n") }

func hostileOnly(method string, a hostileAnswer) map[string]hostileAnswer {
	return map[string]hostileAnswer{method: a}
}

func hostileUTF16(s string) []byte {
	out := []byte{0xff, 0xfe}
	for _, u := range utf16.Encode([]rune(s)) {
		out = append(out, byte(u), byte(u>>8))
	}
	return out
}

// A DID and a CLI entry with the SIP password where a WAF or a broken
// release might put it.
var (
	hostileDID = `<did><id>7</id><did>37060000001</did><status>Active</status><comment>` + hostileSIPSecret + `</comment></did>`
	hostileCLI = `<cli_id>3</cli_id><cli_cli>370600</cli_cli><cli_comment>` + hostileSIPSecret + `</cli_comment>`
)

func hostileCases() []hostileCase {
	details, devices, dids, clis := "device_details_get", "devices_get", "dids_get", "device_clis_get"
	ok := func(b []byte) hostileAnswer { return hostileAnswer{body: b} }
	var cases []hostileCase

	// Answers refused whole: their text must not be quoted.
	cases = append(cases,
		hostileCase{name: "text before the XML declaration", config: hostileDeviceConfig,
			answers:   hostileOnly(details, ok([]byte("PHP Warning:  Undefined index in /var/www/mor/api.php on line 7\n"+string(hostilePage(hostileDevice(101, "1101")))))),
			wantError: `the answer is not XML; it begins: "PHP Warning: Undefined index in /var/www/mor/api.php on line 7"`},
		hostileCase{name: "UTF-16 byte-order mark", config: hostileDeviceConfig,
			answers:   hostileOnly(details, ok(hostileUTF16(`<?xml version="1.0" encoding="UTF-16"?><page>`+hostileDevice(101, "1101")+`</page>`))),
			wantError: "the answer is UTF-16 text"},
		hostileCase{name: "XML with root <device>", config: hostileDeviceConfig,
			answers:   hostileOnly(details, ok([]byte(xmlDecl+"<device>"+hostileDevice(101, "1101")+"</device>"))),
			wantError: "the answer is XML with root <device>, not a MOR API answer"},
		hostileCase{name: "HTTP 500 carrying MOR's document", config: hostileDeviceConfig,
			answers:   hostileOnly(details, hostileAnswer{status: 500, body: hostilePage(hostileDevice(101, "1101"))}),
			wantError: "(HTTP 500)"},
		hostileCase{name: "HTTP 500 carrying a device list", config: hostileDevicesConfig,
			answers:   hostileOnly(devices, hostileAnswer{status: 500, body: hostilePage("<devices>" + hostileListDevice(101) + "</devices>")}),
			wantError: "(HTTP 500)"},
		hostileCase{name: "WAF page quoting the request, hash in capitals", config: hostileDIDsConfig,
			answers: hostileOnly(dids, hostileAnswer{status: 403, echo: func(r *http.Request) []byte {
				return []byte(fmt.Sprintf("Request blocked by policy 942100. HASH=%s U=%s P=%s KEY=%s",
					strings.ToUpper(r.Form.Get("hash")), r.Form.Get("u"), r.Form.Get("p"), hostileAPIKey))
			}}),
			wantError: `(HTTP 403)`},
		hostileCase{name: "proxy error page", config: hostileCLIsConfig,
			answers:   hostileOnly(clis, hostileAnswer{status: 502, body: []byte("<html><head><title>502 Bad Gateway</title></head><body>" + hostileCLI + "</body></html>")}),
			wantError: `(HTTP 502): HTTP status 502 from the server or a proxy in front of it (MOR itself always answers 200); its title: "502 Bad Gateway"`},
		hostileCase{name: "text value over 1 MiB", config: hostileDIDsConfig,
			answers:     hostileOnly(dids, ok(hostilePage("<dids><did><did>1</did><comment>"+strings.Repeat("A", 1<<20+10)+"</comment></did></dids>"))),
			wantError:   "a single value of over 1 MiB",
			notInOutput: []string{"raise max_response_bytes"}},
	)

	// Bytes after Content-Length are never logged; the answer itself is used.
	cases = append(cases, hostileCase{name: "bytes after Content-Length", config: hostileDevicesConfig,
		answers: hostileOnly(devices, hostileAnswer{body: hostilePage("<devices><device><device_id>101</device_id><device_type>SIP</device_type></device></devices>"),
			trailing: []byte("HTTP/1.1 200 OK\r\n\r\n" + string(hostilePage("<devices>"+hostileListDevice(102)+"</devices>")))}),
		wantOutput: "n = 1"})

	// A url holding credentials.
	cases = append(cases, hostileCase{name: "url with user and password", config: hostileDIDsConfig,
		answers: hostileOnly(dids, ok(hostilePage("<dids>"+hostileDID+"</dids>"))), url: "http://admin:" + hostileURLPassword + "@%s/billing",
		wantError: "Invalid MOR URL"})

	// Answers that are not the shape of the method's answer.
	for _, shape := range []struct{ name, doc, want string }{
		{"empty page", "<page/>", "the answer is <page> holding nothing"},
		{"status ok", "<page><status>ok</status></page>", "the answer is <page> holding <status>"},
	} {
		for _, ds := range []struct{ name, config, method string }{
			{"mor_device", hostileDeviceConfig, details}, {"mor_devices", hostileDevicesConfig, devices},
			{"mor_dids", hostileDIDsConfig, dids}, {"mor_device_clis", hostileCLIsConfig, clis},
		} {
			want := shape.want
			if ds.method == clis && shape.name == "status ok" {
				want = "the answer is <page> holding <status> holding no CLI"
			}
			cases = append(cases, hostileCase{name: shape.name + "/" + ds.name, config: ds.config,
				answers: hostileOnly(ds.method, ok([]byte(xmlDecl+shape.doc))), wantError: want})
		}
	}
	cases = append(cases,
		hostileCase{name: "wrapped/mor_device", config: hostileDeviceConfig,
			answers: hostileOnly(details, ok(hostilePage("<device>"+hostileDevice(101, "1101")+"</device>"))), wantError: "the answer is <page> holding <device>"},
		hostileCase{name: "wrapped/mor_devices", config: hostileDevicesConfig,
			answers: hostileOnly(devices, ok(hostilePage("<page><devices>"+hostileListDevice(101)+"</devices></page>"))), wantError: "the answer is <page> holding <page>"},
		hostileCase{name: "wrapped/mor_dids", config: hostileDIDsConfig,
			answers: hostileOnly(dids, ok(hostilePage("<response><dids>"+hostileDID+"</dids></response>"))), wantError: "the answer is <page> holding <response>"},
		hostileCase{name: "wrapped/mor_device_clis", config: hostileCLIsConfig,
			answers: hostileOnly(clis, ok(hostilePage("<result><status>"+hostileCLI+"</status></result>"))), wantError: "the answer is <page> holding <result>"},
		hostileCase{name: "records in an unknown element/mor_devices", config: hostileDevicesConfig,
			answers: hostileOnly(devices, ok(hostilePage("<devices><item>"+hostileListDevice(101)+"</item></devices>"))), wantError: "<item> in <devices>"},
		hostileCase{name: "records in an unknown element/mor_dids", config: hostileDIDsConfig,
			answers: hostileOnly(dids, ok(hostilePage("<dids><entry>"+hostileDID+"</entry></dids>"))), wantError: "<entry> in <dids>"},
	)

	// Records together with an error, and another method's "nothing found".
	cases = append(cases,
		hostileCase{name: "records and an error/mor_devices", config: hostileDevicesConfig,
			answers: hostileOnly(devices, ok(hostilePage("<devices>"+hostileListDevice(101)+"</devices><error>Device not found</error>"))), wantError: "records together with an <error>"},
		hostileCase{name: "records and an error/mor_dids", config: hostileDIDsConfig,
			answers: hostileOnly(dids, ok(hostilePage("<dids>"+hostileDID+"</dids><error>No DIDs found</error>"))), wantError: "records together with an <error>"},
		hostileCase{name: "records and an error/mor_device_clis", config: hostileCLIsConfig,
			answers: hostileOnly(clis, ok(hostilePage("<status>"+hostileCLI+"<error>CLIs were not found</error></status>"))), wantError: "records together with an <error>"},
		hostileCase{name: "records and an error/mor_device", config: hostileDeviceConfig,
			answers: hostileOnly(details, ok(hostilePage(hostileDevice(101, "1101")+"<error>Device was not found</error>"))), wantError: "records together with an <error>"},
		hostileCase{name: "another method's nothing found/mor_devices", config: hostileDevicesConfig,
			answers: hostileOnly(devices, ok(hostilePage("<error>No DIDs found</error>"))), wantError: "MOR answered: No DIDs found"},
		hostileCase{name: "another method's nothing found/mor_dids", config: hostileDIDsConfig,
			answers: hostileOnly(dids, ok(hostilePage("<status><error>CLIs were not found</error></status>"))), wantError: "MOR answered: CLIs were not found"},
		hostileCase{name: "another method's nothing found/mor_device_clis", config: hostileCLIsConfig,
			answers: hostileOnly(clis, ok(hostilePage("<error>Device not found</error>"))), wantError: "MOR answered: Device not found"},
	)

	// Another device's record, fields twice, ids twice.
	byName := strings.ReplaceAll(hostileDeviceConfig, "device_id = 101", `device_username = "1101"`)
	cases = append(cases,
		hostileCase{name: "another device's id", config: hostileDeviceConfig,
			answers: hostileOnly(details, ok(hostilePage(hostileDevice(102, "1102")))), wantError: "the record of device 102, not of device 101"},
		hostileCase{name: "another device's record with an empty id", config: hostileDeviceConfig,
			answers: hostileOnly(details, ok(hostilePage(strings.Replace(hostileDevice(102, "1102"), "<id>102</id>", "<id/>", 1)))), wantError: "a device record whose <id> is empty"},
		hostileCase{name: "another device's username", config: byName,
			answers: hostileOnly(details, ok(hostilePage(hostileDevice(102, "1102")))), wantError: "not of the device with the username asked for"},
		hostileCase{name: "a field twice/mor_device", config: hostileDeviceConfig,
			answers: hostileOnly(details, ok(hostilePage(hostileDevice(101, "1101")+"<secret>second</secret>"))), wantError: "gives <secret> twice"},
		hostileCase{name: "a field twice/mor_devices", config: hostileDevicesConfig,
			answers:   hostileOnly(devices, ok(hostilePage("<devices><device><device_id>101</device_id><secret>"+hostileSIPSecret+"</secret><secret>x</secret></device></devices>"))),
			wantError: "gives <secret> twice"},
		hostileCase{name: "a field twice/mor_dids", config: hostileDIDsConfig,
			answers: hostileOnly(dids, ok(hostilePage("<dids><did><id>7</id><did>1</did><did>2</did></did></dids>"))), wantError: "gives <did> twice"},
		hostileCase{name: "a field twice/mor_device_clis", config: hostileCLIsConfig,
			answers: hostileOnly(clis, ok(hostilePage("<status>"+hostileCLI+"<cli_cli>2</cli_cli></status>"))), wantError: "gives <cli_cli> twice"},
		hostileCase{name: "one id twice/mor_devices", config: hostileDevicesConfig,
			answers: hostileOnly(devices, ok(hostilePage("<devices>"+hostileListDevice(101)+hostileListDevice(101)+"</devices>"))), wantError: "two records with id 101"},
		hostileCase{name: "one id twice/mor_dids", config: hostileDIDsConfig,
			answers: hostileOnly(dids, ok(hostilePage("<dids>"+hostileDID+hostileDID+"</dids>"))), wantError: "two records with id 7"},
		hostileCase{name: "one id twice/mor_device_clis", config: hostileCLIsConfig,
			answers: hostileOnly(clis, ok(hostilePage("<status>"+hostileCLI+hostileCLI+"</status>"))), wantError: "two records with id 3"},
	)

	// A value in a column that does not hold it.
	cases = append(cases,
		hostileCase{name: "a negative id/mor_devices", config: hostileDevicesConfig,
			answers:   hostileOnly(devices, ok(hostilePage("<devices>"+strings.Replace(hostileListDevice(101), "<device_id>101", "<device_id>-101", 1)+"</devices>"))),
			wantError: "<device_id> holds 4 characters of text, not a whole number of zero or more"},
		hostileCase{name: "a negative id/mor_dids", config: hostileDIDsConfig,
			answers:   hostileOnly(dids, ok(hostilePage("<dids>"+strings.Replace(hostileDID, "<id>7</id>", "<id>-7</id>", 1)+"</dids>"))),
			wantError: "<id> holds 2 characters of text, not a whole number of zero or more"},
		hostileCase{name: "a password in a number column/mor_devices", config: hostileDevicesConfig,
			answers:   hostileOnly(devices, ok(hostilePage("<devices><device><device_id>101</device_id><port>"+hostileSIPSecret+"</port></device></devices>"))),
			wantError: "<port> holds 19 characters of text, not a whole number"},
		hostileCase{name: "a password in a number column/mor_device", config: hostileDeviceConfig,
			answers:   hostileOnly(details, ok(hostilePage(strings.Replace(hostileDevice(101, "1101"), "<port>5060</port>", "<port>"+hostilePIN+"x</port>", 1)))),
			wantError: "<port> holds 14 characters of text, not a whole number"},
	)

	// A password holding an unescaped tag: text beside an element, which
	// read as a record's fields alone would drop the password unseen. The
	// error tells the element by its depth: a tag at the start of the
	// password makes its name a piece of the password.
	tagged := hostileSIPSecret[:6] + "<b/>" + hostileSIPSecret[6:]
	taggedFirst := "<Zq7Tag>" + hostileSIPSecret + "<r/></Zq7Tag>"
	cases = append(cases,
		hostileCase{name: "a tag in a value/mor_device", config: hostileDeviceConfig,
			answers:   hostileOnly(details, ok(hostilePage(strings.Replace(hostileDevice(101, "1101"), hostileSIPSecret, tagged, 1)))),
			wantError: "text beside elements in the element open at depth 2"},
		hostileCase{name: "a tag in a value/mor_device, the tag first", config: hostileDeviceConfig,
			answers:   hostileOnly(details, ok(hostilePage(strings.Replace(hostileDevice(101, "1101"), hostileSIPSecret, taggedFirst, 1)))),
			wantError: "text beside elements in the element open at depth 3", notInOutput: []string{"Zq7Tag"}},
		hostileCase{name: "a tag in a value/mor_device, the whole value in a tag", config: hostileDeviceConfig,
			answers:   hostileOnly(details, ok(hostilePage(strings.Replace(hostileDevice(101, "1101"), hostileSIPSecret, "<b>"+hostileSIPSecret+"</b>", 1)))),
			wantError: "a device record has elements inside a field"},
		hostileCase{name: "a tag in a value/mor_devices, the whole value in a tag", config: hostileDevicesConfig,
			answers:   hostileOnly(devices, ok(hostilePage("<devices><device><device_id>101</device_id><secret><b>"+hostileSIPSecret+"</b></secret></device></devices>"))),
			wantError: "a device record has elements inside a field"},
		hostileCase{name: "a tag in a value/mor_devices", config: hostileDevicesConfig,
			answers:   hostileOnly(devices, ok(hostilePage("<devices><device><device_id>101</device_id><secret>"+tagged+"</secret></device></devices>"))),
			wantError: "text beside elements in the element open at depth 4"},
		hostileCase{name: "a tag in a value/mor_dids", config: hostileDIDsConfig,
			answers:   hostileOnly(dids, ok(hostilePage("<dids><did><id>7</id><did>1</did><comment>a<x>c</x>d</comment></did></dids>"))),
			wantError: "text beside elements in the element open at depth 4"},
	)

	// DIDs in a status other than the one searched for: free, active and
	// reserved are filtered by the provider, the others by MOR.
	didsIn := func(status string) string {
		return strings.Replace(hostileDIDsConfig, `data "mor_dids" "x" {}`, fmt.Sprintf(`data "mor_dids" "x" {
  status = %q
}`, status), 1)
	}
	cases = append(cases,
		hostileCase{name: "a DID in a status not searched for/no status, active searched", config: didsIn("active"),
			answers:   hostileOnly(dids, ok(hostilePage("<dids><did><id>7</id><did>1</did></did></dids>"))),
			wantError: "a DID without <status>, so the DIDs in status active cannot be told apart"},
		hostileCase{name: "a DID in a status not searched for/unknown status, free searched", config: didsIn("free"),
			answers:   hostileOnly(dids, ok(hostilePage("<dids>"+strings.Replace(hostileDID, "Active", "Suspended", 1)+"</dids>"))),
			wantError: "a DID whose <status> is none of free, reserved, active, closed, terminated", notInOutput: []string{"Suspended"}},
		hostileCase{name: "a DID in a status not searched for/active, closed searched", config: didsIn("closed"),
			answers:   hostileOnly(dids, ok(hostilePage("<dids>"+hostileDID+"</dids>"))),
			wantError: "a DID in another status to a search for status closed"},
	)

	// MOR's own error text, hostile.
	cases = append(cases,
		hostileCase{name: "escape sequences in the error", config: hostileDIDsConfig,
			answers:   hostileOnly(dids, ok(hostilePage("<error>Access \x1b[2K\x1b[1A\x1b]0;owned\x07Denied&#27;[32m Apply complete!\r</error><secret>"+hostileSIPSecret+"</secret>"))),
			wantError: "MOR answered: Access Denied Apply complete!", notInOutput: []string{"\x1b", "\r"}},
		hostileCase{name: "900 KB error", config: hostileDIDsConfig,
			answers:   hostileOnly(dids, ok(hostilePage("<error>"+strings.Repeat("Error! ", 900<<10/7)+"</error>"))),
			wantError: "(cut: 900 KB in all)"},
	)

	// Texts from the network other than MOR's <error>: never quoted whole,
	// never with control characters.
	hash := func(r *http.Request) string { return r.Form.Get("hash") }
	twice := func(name string) string { return "<" + name + ">1</" + name + "><" + name + ">2</" + name + ">" }
	cases = append(cases,
		hostileCase{name: "no status line", config: hostileDeviceConfig,
			answers: hostileOnly(details, hostileAnswer{raw: []byte(`<?xml version="1.0"?><page>` + hostileDevice(101, "1101") +
				strings.Repeat("A", 200<<10) + "</page>\n")}),
			wantError: "the server's answer is not HTTP: a malformed status line"},
		hostileCase{name: "101 Switching Protocols, the connection left open", config: hostileDIDsConfig,
			answers:   hostileOnly(dids, hostileAnswer{status: http.StatusSwitchingProtocols, header: map[string]string{"Upgrade": "mor", "Connection": "Upgrade"}, trailing: []byte(hostileSIPSecret)}),
			wantError: "the server answered HTTP 101 Switching Protocols, which no MOR answer is"},
		hostileCase{name: "header line without a colon", config: hostileDeviceConfig,
			answers:   hostileOnly(details, hostileAnswer{raw: []byte("HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nX-" + hostileSIPSecret + "\r\n\r\n")}),
			wantError: "the server's answer is not HTTP: a malformed header line"},
		hostileCase{name: "control characters in the certificate's name", config: hostileDIDsConfig,
			certName:  "\x1b]0;PWNED\x07\x1b[2J\x1b[31mmor.example.com",
			wantError: "x509: certificate is valid for mor.example.com, not localhost"},
		hostileCase{name: "control characters in the proxy's status line", config: hostileDIDsConfig, proxy: true,
			answers:   hostileOnly("", hostileAnswer{raw: []byte("HTTP/1.1 403 \x1b]0;PWNED-PROXY\x07\x1b[2K\u202eDenied by policy\r\nContent-Length: 0\r\n\r\n")}),
			wantError: "(HTTPS_PROXY): Denied by policy"},
		hostileCase{name: "bidi override in an element name/a field twice", config: hostileDeviceConfig,
			answers: hostileOnly(details, ok(hostilePage(hostileDevice(101, "1101")+twice("a\u202egnp.exe")))), wantError: "gives <agnp.exe> twice"},
		hostileCase{name: "bidi override in an element name/root", config: hostileDeviceConfig,
			answers:   hostileOnly(details, ok([]byte(xmlDecl+"<d\u202eevil>"+hostileDevice(101, "1101")+"</d\u202eevil>"))),
			wantError: "the answer is XML with root <devil>"},
		hostileCase{name: "C1 controls in an element name", config: hostileDeviceConfig,
			answers: hostileOnly(details, ok(hostilePage(hostileDevice(101, "1101")+twice("a\u009b2J\u009b31m")))), wantError: "gives <a> twice"},
		hostileCase{name: "hash and key split by invisible characters in MOR's error", config: hostileDIDsConfig,
			answers: hostileOnly(dids, hostileAnswer{echo: func(r *http.Request) []byte {
				return hostilePage("<error>Incorrect hash " + hostileSplit(hash(r), "&#x200e;") + " key " + hostileSplit(hostileAPIKey, "\x1b[0m") + "</error>")
			}}),
			wantError: "MOR answered: Incorrect hash [redacted] key [redacted]"},
		hostileCase{name: "hash and key split by invisible characters in MOR's error/variation selector and grapheme joiner", config: hostileDIDsConfig,
			answers: hostileOnly(dids, hostileAnswer{echo: func(r *http.Request) []byte {
				return hostilePage("<error>Incorrect hash " + hostileSplit(hash(r), "\ufe0e") + " key " + hostileSplit(hostileAPIKey, "\u034f") + "</error>")
			}}),
			wantError: "MOR answered: Incorrect hash [redacted] key [redacted]"},
		hostileCase{name: "hash split by an invisible character in a page", config: hostileDIDsConfig,
			answers: hostileOnly(dids, hostileAnswer{status: 403, echo: func(r *http.Request) []byte {
				return []byte("Blocked hash=" + hostileSplit(hash(r), "\u200f"))
			}}),
			wantError: `it begins: "Blocked hash=[redacted]"`},
		hostileCase{name: "password in a page, form-encoded", config: hostileDIDsConfig, oddPassword: true,
			answers: hostileOnly(dids, hostileAnswer{status: 403, echo: func(r *http.Request) []byte {
				return []byte("Request blocked: " + r.PostForm.Encode())
			}}),
			wantError: "p=[redacted]&u=admin"},
		hostileCase{name: "password in MOR's error, form-encoded", config: hostileDIDsConfig, oddPassword: true,
			answers:   hostileOnly(dids, ok(hostilePage("<error>Bad login p="+url.QueryEscape(hostileOddPassword)+"</error>"))),
			wantError: "MOR answered: Bad login p=[redacted]"},
		hostileCase{name: "password in a page's title, HTML-escaped", config: hostileDIDsConfig, oddPassword: true,
			answers: hostileOnly(dids, hostileAnswer{status: 403, body: []byte("<html><head><title>Blocked u=admin p=" + html.EscapeString(hostileOddPassword) +
				"</title></head><body></body></html>")}),
			wantError: `its title: "Blocked u=admin p=[redacted]"`},
		hostileCase{name: "password in MOR's error, form-encoded/two spaces for its space", config: hostileDIDsConfig, oddPassword: true,
			answers:   hostileOnly(dids, ok(hostilePage("<error>Bad login p="+html.EscapeString(strings.Replace(hostileOddPassword, " ", "  ", 1))+"</error>"))),
			wantError: "MOR answered: Bad login p=[redacted]"},
		hostileCase{name: "password in a page's title, HTML-escaped/a no-break space for its space", config: hostileDIDsConfig, oddPassword: true,
			answers: hostileOnly(dids, hostileAnswer{status: 403, body: []byte("<html><head><title>Blocked p=" +
				strings.Replace(html.EscapeString(hostileOddPassword), " ", "&nbsp;", 1) + "</title></head><body></body></html>")}),
			wantError: `its title: "Blocked p=[redacted]"`},
		hostileCase{name: "password before a < in a page", config: hostileDIDsConfig, oddPassword: true,
			answers:   hostileOnly(dids, hostileAnswer{status: 403, body: []byte(`Forbidden: parameter p="` + hostileOddPassword + `" is not allowed`)}),
			wantError: `it begins: "Forbidden: parameter p=\"[redacted]\" is not allowed"`},
		hostileCase{name: "password before a < in a page/cut by the end of what is kept", config: hostileDIDsConfig, oddPassword: true,
			answers:   hostileOnly(dids, hostileAnswer{status: 403, body: []byte(strings.Repeat(" \r\n", 167) + "p=" + hostileOddPassword + " is not allowed")}),
			wantError: "(HTTP 403)"},
		hostileCase{name: "a proxy's page quoting its credentials/user and password", config: hostileDIDsConfig, httpProxy: "proxyuser:" + hostileURLPassword,
			answers: hostileOnly(dids, hostileAnswer{status: 403, echo: func(r *http.Request) []byte {
				return []byte("Access denied. Proxy-Authorization: " + r.Header.Get("Proxy-Authorization"))
			}}),
			wantError: `it begins: "Access denied. Proxy-Authorization: Basic [redacted]"`},
		hostileCase{name: "a proxy's page quoting its credentials/a token as its user", config: hostileDIDsConfig, httpProxy: "proxytoken-Kf83j2",
			answers: hostileOnly(dids, hostileAnswer{status: 403, echo: func(r *http.Request) []byte {
				return []byte("Access denied for proxytoken-Kf83j2. Proxy-Authorization: " + r.Header.Get("Proxy-Authorization"))
			}}),
			wantError: `it begins: "Access denied for [redacted]. Proxy-Authorization: Basic [redacted]"`},
		hostileCase{name: "redirect with the hash percent-encoded", config: hostileDIDsConfig,
			answers: hostileOnly(dids, hostileAnswer{status: http.StatusFound, headerFrom: func(r *http.Request) map[string]string {
				return map[string]string{"Location": "http://127.0.0.1:1/billing/login/" + hostilePercentAll(hash(r))}
			}}),
			wantError: "to http://127.0.0.1:1/billing/login/[redacted]"},
		hostileCase{name: "redirect with the hash percent-encoded/an opaque Location", config: hostileDIDsConfig,
			answers: hostileOnly(dids, hostileAnswer{status: http.StatusFound, headerFrom: func(r *http.Request) map[string]string {
				return map[string]string{"Location": "x:" + hostilePercentAll(hash(r))}
			}}),
			wantError: "to x:[redacted]"},
		hostileCase{name: "redirect with the hash percent-encoded/split by an encoded zero-width space", config: hostileDIDsConfig,
			answers: hostileOnly(dids, hostileAnswer{status: http.StatusFound, headerFrom: func(r *http.Request) map[string]string {
				return map[string]string{"Location": "http://127.0.0.1:1/billing/login/" + hostileSplit(hash(r), "%E2%80%8B")}
			}}),
			wantError: "to http://127.0.0.1:1/billing/login/[redacted]"},
		hostileCase{name: "plain HTTP to a TLS port, the hash in the page", config: hostileDIDsConfig,
			answers: hostileOnly(dids, hostileAnswer{status: http.StatusBadRequest, echo: func(r *http.Request) []byte {
				return []byte("Client sent an HTTP request to an HTTPS server. hash=" + hostileSplit(hash(r), "\u200f"))
			}}),
			wantError: "url says http://, but the server speaks TLS on that port"},
	)

	// What a newer MOR may add: kept, the answer used.
	cases = append(cases,
		hostileCase{name: "newer MOR: unknown sibling and column", config: hostileDevicesConfig,
			answers:    hostileOnly(devices, ok(hostilePage("<total>1</total><devices><device><device_id>101</device_id><new_column>v</new_column></device></devices>"))),
			wantOutput: "n = 1"},
		hostileCase{name: "newer MOR: empty container", config: hostileDIDsConfig,
			answers: hostileOnly(dids, ok(hostilePage("<dids/>"))), wantOutput: "n = 0"},
	)

	// What MOR leaves out: null, not a value MOR did not send.
	codecConfig := `
data "mor_device" "x" {
  device_id = 101
}
output "codecs_null" {
  value = "${data.mor_device.x.audio_codecs == null}/${data.mor_device.x.video_codecs == null}"
}
`
	users := func(user string) hostileAnswer {
		return ok(hostilePage("<status><users><user><id>4</id><username>a</username><usertype>user</usertype><owner_id>0</owner_id></user>" + user + "</users></status>"))
	}
	cases = append(cases,
		hostileCase{name: "a user without a filtered field/owner_id", config: `data "mor_users" "x" { owner_id = 0 }`,
			answers:   hostileOnly("users_get", users("<user><id>5</id><username>b</username><usertype>user</usertype></user>")),
			wantError: "gives user 5 no owner_id"},
		hostileCase{name: "a user without a filtered field/usertype", config: `data "mor_users" "x" { usertype = "user" }`,
			answers:   hostileOnly("users_get", users("<user><id>5</id><username>b</username><usertype/><owner_id>0</owner_id></user>")),
			wantError: "gives user 5 no usertype"},
		hostileCase{name: "a user of an unknown type", config: `data "mor_users" "x" { usertype = "user" }`,
			answers:   hostileOnly("users_get", users("<user><id>5</id><username>b</username><usertype>superuser</usertype><owner_id>0</owner_id></user>")),
			wantError: "gives user 5 a usertype that is none of admin, accountant, reseller, partner, user", notInOutput: []string{"superuser"}},
		hostileCase{name: "a user's type in capitals", config: `data "mor_users" "x" { usertype = "user" }
output "n" {
  value = length(data.mor_users.x.users)
}`,
			answers:    hostileOnly("users_get", users("<user><id>5</id><username>b</username><usertype>User</usertype><owner_id>0</owner_id></user>")),
			wantOutput: "n = 2"},
		hostileCase{name: "a user without a field, no filter on it", config: `data "mor_users" "x" {}
output "n" {
  value = length(data.mor_users.x.users)
}`,
			answers:    hostileOnly("users_get", users("<user><id>5</id><username>b</username></user>")),
			wantOutput: "n = 2"},
	)
	cases = append(cases,
		hostileCase{name: "a DID without its number", config: hostileDIDsConfig,
			answers:   hostileOnly(dids, ok(hostilePage("<dids><did><id>7</id><did/><status>Active</status><comment>"+hostileSIPSecret+"</comment></did></dids>"))),
			wantError: "a DID record without its number"},
	)
	cases = append(cases,
		hostileCase{name: "no codec lists/no <codecs>", config: codecConfig,
			answers:    hostileOnly(details, ok(hostilePage(strings.Replace(hostileDevice(101, "1101"), "<codecs><audio_codecs>alaw</audio_codecs><video_codecs></video_codecs></codecs>", "", 1)))),
			wantOutput: `codecs_null = "true/true"`},
		hostileCase{name: "no codec lists/only the audio list", config: codecConfig,
			answers:    hostileOnly(details, ok(hostilePage(strings.Replace(hostileDevice(101, "1101"), "<video_codecs></video_codecs>", "", 1)))),
			wantOutput: `codecs_null = "false/true"`},
	)
	return cases
}

// hostileOutcomes is DESIGN.md's table of hostile answers, by the case
// names before any "/": a refused answer's diagnostic summary comes after
// "refused: ".
var hostileOutcomes = map[string]string{
	"text before the XML declaration":                           "refused: Unusable Answer from MOR (not XML; only the text before the first `<` quoted)",
	"UTF-16 byte-order mark":                                    "refused: Unusable Answer from MOR (UTF-16 text)",
	"XML with root <device>":                                    "refused: Unusable Answer from MOR (XML with root `<device>`; no text quoted)",
	"HTTP 500 carrying MOR's document":                          "refused: Unusable Answer from MOR (HTTP 500; no text quoted)",
	"HTTP 500 carrying a device list":                           "refused: Unusable Answer from MOR (HTTP 500; no text quoted)",
	"WAF page quoting the request, hash in capitals":            "refused: Unusable Answer from MOR (HTTP 403; hash, key and password redacted in any letter case)",
	"proxy error page":                                          "refused: Unusable Answer from MOR (HTTP 502; the page's title quoted)",
	"text value over 1 MiB":                                     "refused: Unusable Answer from MOR (a single value of over 1 MiB; not blamed on max_response_bytes)",
	"bytes after Content-Length":                                "used: MOR's values (the extra bytes never logged)",
	"url with user and password":                                "refused: Invalid MOR URL (the user and password not shown)",
	"empty page":                                                "refused: Unusable Answer from MOR (`<page>` holding nothing)",
	"status ok":                                                 "refused: Unusable Answer from MOR (`<page>` holding `<status>`)",
	"wrapped":                                                   "refused: Unusable Answer from MOR (the wrapping element named)",
	"records in an unknown element":                             "refused: Unusable Answer from MOR (the element named)",
	"records and an error":                                      "refused: Unusable Answer from MOR (records together with an `<error>`)",
	"another method's nothing found":                            "refused: MOR Rejected the Request (MOR's message quoted)",
	"another device's id":                                       "refused: Unusable Answer from MOR (the record of another device), for the ephemeral resource too",
	"another device's record with an empty id":                  "refused: Unusable Answer from MOR (the empty id said), for the ephemeral resource too",
	"another device's username":                                 "refused: Unusable Answer from MOR (the record of another device), for the ephemeral resource too",
	"a field twice":                                             "refused: Unusable Answer from MOR (the field named)",
	"one id twice":                                              "refused: Unusable Answer from MOR (the id named)",
	"a negative id":                                             "refused: Unusable Answer from MOR (the column named, its value not quoted)",
	"a password in a number column":                             "refused: Unusable Answer from MOR (the column named, its value not quoted)",
	"a tag in a value":                                          "refused: Unusable Answer from MOR (the element's depth said; neither its name nor its text quoted)",
	"a DID in a status not searched for":                        "refused: Unusable Answer from MOR (the status searched for named; the DID's status not quoted)",
	"escape sequences in the error":                             "refused: MOR Rejected the Request (MOR's message without control characters)",
	"900 KB error":                                              "refused: MOR Rejected the Request (MOR's message cut to 300 bytes, the cut said)",
	"no status line":                                            "refused: Unable to Reach MOR (not HTTP; nothing of the answer quoted)",
	"101 Switching Protocols, the connection left open":         "refused: Unable to Reach MOR (at once, not retried; nothing after the status line read)",
	"header line without a colon":                               "refused: Unable to Reach MOR (not HTTP; the header line not quoted)",
	"control characters in the certificate's name":              "refused: Unable to Reach MOR (the certificate's names without control characters)",
	"control characters in the proxy's status line":             "refused: Unable to Reach MOR (the proxy's words without control characters)",
	"bidi override in an element name":                          "refused: Unusable Answer from MOR (the element named without control characters)",
	"C1 controls in an element name":                            "refused: Unusable Answer from MOR (the element named without control characters)",
	"hash and key split by invisible characters in MOR's error": "refused: MOR Rejected the Request (control characters dropped before the hash and key are redacted)",
	"hash split by an invisible character in a page":            "refused: Unusable Answer from MOR (control characters dropped before the hash is redacted)",
	"password in a page, form-encoded":                          "refused: Unusable Answer from MOR (the password redacted in its URL-encoded form)",
	"password in MOR's error, form-encoded":                     "refused: MOR Rejected the Request (the password redacted in its URL-encoded form)",
	"password in a page's title, HTML-escaped":                  "refused: Unusable Answer from MOR (the password redacted in its HTML-escaped form)",
	"password before a < in a page":                             "refused: Unusable Answer from MOR (redacted before the text is cut at the `<`)",
	"redirect with the hash percent-encoded":                    "refused: MOR URL Redirected (the path shown decoded, the hash redacted)",
	"plain HTTP to a TLS port, the hash in the page":            "refused: Unusable Answer from MOR (the page's start cleaned like any quoted text)",
	"newer MOR: unknown sibling and column":                     "used: MOR's values",
	"newer MOR: empty container":                                "used: an empty list",
	"a proxy's page quoting its credentials":                    "refused: Unusable Answer from MOR (HTTP 403; the proxy's password or token redacted, also as Proxy-Authorization: Basic carries it)",
	"no codec lists":                                            "used: MOR's values, the codec lists null (not empty)",
	"a DID without its number":                                  "refused: Unusable Answer from MOR (said so; nothing of the record quoted)",
	"a user without a filtered field":                           "refused: Unable to Filter MOR Users (the user's id and the field named)",
	"a user without a field, no filter on it":                   "used: MOR's users, that field null",
	"a user of an unknown type":                                 "refused: Unable to Filter MOR Users (the user's id named, the type not quoted)",
	"a user's type in capitals":                                 "used: MOR's users, the type matched in any letter case",
}

func hostileClass(name string) string {
	class, _, _ := strings.Cut(name, "/")
	return class
}

func TestHostileServer(t *testing.T) {
	t.Parallel()
	for _, tc := range hostileCases() {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if strings.Contains(tc.config, "ephemeral") {
				requireCLI(t, featureEphemeral)
			}
			outcome, ok := hostileOutcomes[hostileClass(tc.name)]
			if !ok {
				t.Fatalf("no documented outcome for %q", hostileClass(tc.name))
			}
			rest, refused := strings.CutPrefix(outcome, "refused: ")
			if refused != (tc.wantError != "") {
				t.Fatalf("documented as %q, but the case expects error %q", outcome, tc.wantError)
			}
			summary, _, _ := strings.Cut(rest, " (")
			srv := newHostileServer(t, tc.answers, tc.certName)
			url, env := fmt.Sprintf("url = %q", srv.URL), []string{}
			switch {
			case tc.url != "":
				url, env = "", []string{"MOR_URL=" + fmt.Sprintf(tc.url, strings.TrimPrefix(strings.TrimSuffix(srv.URL, "/billing"), "http://"))}
			case tc.certName != "":
				url = fmt.Sprintf("url = %q", strings.Replace(srv.URL, "127.0.0.1", "localhost", 1))
			case tc.httpProxy != "":
				url, env = `url = "http://mor.example.com/billing"`, []string{"HTTP_PROXY=" + strings.Replace(strings.TrimSuffix(srv.URL, "/billing"), "http://", "http://"+tc.httpProxy+"@", 1)}
			case tc.proxy:
				url, env = `url = "https://mor.example.com/billing"`, []string{"HTTPS_PROXY=" + strings.TrimSuffix(srv.URL, "/billing")}
			}
			password := hostilePassword
			if tc.oddPassword {
				password = hostileOddPassword
			}
			config := fmt.Sprintf(`provider "mor" {
  %s
  username       = "admin"
  api_secret_key = %q
  password       = %q
  max_retries    = 0
}
`, url, hostileAPIKey, password) + tc.config
			logFile := filepath.Join(t.TempDir(), "terraform.log")
			tf := newCLIRunner(t, morProviderRequirement+config, append(env, "TF_LOG=TRACE", "TF_LOG_PROVIDER=TRACE", "TF_LOG_PATH="+logFile)...)
			out, err := tf.run("plan", "-input=false", "-no-color")
			switch {
			case tc.wantError != "" && (err == nil || !errorRe(tc.wantError).MatchString(out)):
				t.Errorf("want an error with %q, got %v:\n%s", tc.wantError, err, hostileClip(out))
			case refused && !errorRe("Error: "+summary).MatchString(out):
				t.Errorf("want the error %q, as documented:\n%s", summary, hostileClip(out))
			case tc.wantError != "" && strings.Contains(tc.config, "ephemeral") && strings.Count(out, "Error: ") < 2:
				t.Errorf("the ephemeral resource did not fail too:\n%s", hostileClip(out))
			case tc.wantOutput != "" && (err != nil || !errorRe(tc.wantOutput).MatchString(out)):
				t.Errorf("want a plan with %q, got %v:\n%s", tc.wantOutput, err, hostileClip(out))
			}
			for _, phrase := range tc.notInOutput {
				if strings.Contains(out, phrase) {
					t.Errorf("the output holds %q:\n%s", phrase, hostileClip(out))
				}
			}
			if len(out) > 20000 {
				t.Errorf("the output is %d bytes: an answer was quoted whole", len(out))
			}
			logs, err := os.ReadFile(logFile)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(logs), "terraform-provider-mor") {
				t.Fatalf("the TRACE log (%d bytes) lacks the provider's lines: the check below would prove nothing", len(logs))
			}
			secrets := map[string]string{"SIP password": hostileSIPSecret, "md5secret": hostileMD5Secret, "PIN": hostilePIN,
				"API key": hostileAPIKey, "password": hostilePassword, "URL password": hostileURLPassword}
			for i, h := range srv.sentHashes() {
				secrets[fmt.Sprintf("hash %d", i)] = h
				secrets[fmt.Sprintf("hash %d in capitals", i)] = strings.ToUpper(h)
				secrets[fmt.Sprintf("hash %d percent-encoded", i)] = hostilePercentAll(h)
			}
			if user, password, hasPassword := strings.Cut(tc.httpProxy, ":"); tc.httpProxy != "" {
				secrets["proxy credentials in base64"] = base64.StdEncoding.EncodeToString([]byte(user + ":" + password))
				if !hasPassword {
					secrets["proxy token"] = user
				}
			}
			if tc.oddPassword {
				secrets["password's start"] = hostileOddPassword[:len(hostileOddPassword)/2]
				secrets["password form-encoded"] = hostileFormEncoded(hostileOddPassword)
				secrets["password HTML-escaped"] = html.EscapeString(hostileOddPassword)
			}
			for what, c := range hostileControls {
				if strings.Contains(out, c) {
					t.Errorf("the output holds a %s:\n%s", what, hostileClip(out))
				}
				if strings.Contains(string(logs), c) {
					t.Errorf("the TRACE log holds a %s, e.g. %q", what, hostileAround(string(logs), c))
				}
			}
			for what, secret := range secrets {
				if strings.Contains(out, secret) {
					t.Errorf("the %s is in the output:\n%s", what, hostileClip(out))
				}
				if strings.Contains(string(logs), secret) {
					t.Errorf("the %s is in the TRACE log, e.g. %q", what, hostileAround(string(logs), secret))
				}
			}
		})
	}
}

// clip shortens an output for a test message.
func hostileClip(s string) string {
	if len(s) > 3000 {
		return s[:3000] + "…"
	}
	return s
}

// around is the log line holding secret, shortened.
func hostileAround(s, secret string) string {
	i := strings.Index(s, secret)
	start, end := max(0, i-200), min(len(s), i+len(secret)+50)
	return s[start:end]
}

// DESIGN.md's table of hostile answers is hostileOutcomes, row for row.
func TestHostileAnswersAreDocumented(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("../../DESIGN.md")
	if err != nil {
		t.Fatal(err)
	}
	_, table, found := strings.Cut(string(raw), "| Answer | Outcome |\n| --- | --- |\n")
	if !found {
		t.Fatal("DESIGN.md has no table of hostile answers")
	}
	table, _, _ = strings.Cut(table, "\n\n")
	documented := map[string]string{}
	for _, line := range strings.Split(table, "\n") {
		cells := strings.Split(strings.Trim(line, "| "), " | ")
		if len(cells) != 2 {
			t.Fatalf("not a row: %q", line)
		}
		documented[strings.ReplaceAll(cells[0], "`", "")] = cells[1]
	}
	classes := map[string]bool{}
	for _, tc := range hostileCases() {
		classes[hostileClass(tc.name)] = true
	}
	for class, outcome := range hostileOutcomes {
		if !classes[class] {
			t.Errorf("%q has an outcome but no case", class)
		}
		if got := documented[class]; got != outcome {
			t.Errorf("DESIGN.md's row for %q: %q, want %q", class, got, outcome)
		}
	}
	if len(documented) != len(hostileOutcomes) {
		t.Errorf("DESIGN.md lists %d hostile answers, the tests %d", len(documented), len(hostileOutcomes))
	}
}
