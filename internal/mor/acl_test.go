package mor

import (
	"net/netip"
	"strings"
	"testing"
)

func TestParseACL(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		text, want string // want: the CIDRs joined by ";"
		any        bool
	}{
		{text: "10.0.0.0/255.0.0.0;192.168.1.1/255.255.255.255", want: "10.0.0.0/8;192.168.1.1/32"},
		{text: "0.0.0.0/0.0.0.0", want: "0.0.0.0/0", any: true},
		{text: "", want: ""},
		{text: "  ; ", want: ""},
		{text: "10.1.2.3/24;172.16.0.0/12; ;\t", want: "10.1.2.0/24;172.16.0.0/12"},
		{text: "192.168.1.7", want: "192.168.1.7/32"},
		{text: "192.168.1.7/255.255.255.0", want: "192.168.1.0/24"},
		{text: "0.0.0.0/1;128.0.0.0/1", want: "0.0.0.0/1;128.0.0.0/1", any: true},
		{text: "128.0.0.0/1;0.0.0.0/2;64.0.0.0/2", want: "128.0.0.0/1;0.0.0.0/2;64.0.0.0/2", any: true},
		{text: "0.0.0.0/1;128.0.0.0/2", want: "0.0.0.0/1;128.0.0.0/2"},
		{text: "0.0.0.0/2;128.0.0.0/1", want: "0.0.0.0/2;128.0.0.0/1"},
		{text: "2001:db8::1/32", want: "2001:db8::/32"},
		{text: "2001:db8::/ffff:ffff::", want: "2001:db8::/32"},
		{text: "::/0", want: "::/0", any: true},
		{text: "255.255.255.255/32", want: "255.255.255.255/32"},
		// Asterisk turns an IPv4-mapped address into the IPv4 one before it
		// reads the netmask, so /1 is an IPv4 /1.
		{text: "::ffff:0.0.0.0/1;::ffff:128.0.0.0/1", want: "0.0.0.0/1;128.0.0.0/1", any: true},
		{text: "::ffff:10.1.2.3/255.0.0.0", want: "10.0.0.0/8"},
		{text: "::ffff:10.1.2.3", want: "10.1.2.3/32"},
		// And so does it an IPv4-mapped netmask.
		{text: "::ffff:0.0.0.0/::ffff:0.0.0.0", want: "0.0.0.0/0", any: true},
		{text: "0.0.0.0/::ffff:0.0.0.0", want: "0.0.0.0/0", any: true},
		{text: "::ffff:10.1.2.3/::ffff:255.0.0.0", want: "10.0.0.0/8"},
	} {
		got, err := ParseACL(tc.text)
		if err != nil {
			t.Errorf("ParseACL(%q): %v", tc.text, err)
			continue
		}
		var cidrs []string
		for _, p := range got {
			cidrs = append(cidrs, p.String())
		}
		if strings.Join(cidrs, ";") != tc.want {
			t.Errorf("ParseACL(%q) = %q, want %q", tc.text, cidrs, tc.want)
		}
		if ACLCoversEveryAddress(got) != tc.any {
			t.Errorf("ACLCoversEveryAddress(%q) = %v, want %v", tc.text, !tc.any, tc.any)
		}
	}
}

func TestParseACLErrors(t *testing.T) {
	t.Parallel()
	for text, want := range map[string]string{
		"10.0.0.0/255.0.255.0":          `entry 1 "10.0.0.0/255.0.255.0": netmask 255.0.255.0 is not contiguous`,
		"10.0.0.0/8,10.1.0.0/16":        `netmask "8,10.1.0.0/16" is neither a prefix length`,
		"dynamic":                       `entry 1 "dynamic": "dynamic" is not an IPv4 or IPv6 address`,
		"10.0.0.0/8;pbx.example.com/32": `entry 2 "pbx.example.com/32": "pbx.example.com" is not`,
		"10.0.0.0/33":                   `prefix length 33 is out of range 0-32`,
		"2001:db8::/129":                `prefix length 129 is out of range 0-128`,
		"10.0.0.0/":                     `netmask "" is neither a prefix length nor a dotted IPv4 netmask`,
		"10.0.0.0/ffff::":               `netmask "ffff::" is neither a prefix length nor a dotted IPv4 netmask`,
		"2001:db8::/255.255.0.0":        `netmask "255.255.0.0" is neither a prefix length nor an IPv6 netmask`,
		"!10.0.0.0/8":                   `"!10.0.0.0" is not an IPv4 or IPv6 address`,
		"fe80::1%eth0/64":               `"fe80::1%eth0" is not an IPv4 or IPv6 address`,
		"010.0.0.1/32":                  `"010.0.0.1" is not`,
		// Which blanks Asterisk strips depends on the realtime driver, and an
		// address with one is not one it reads.
		"10.1.2.3 / 24": `entry 1 "10.1.2.3 / 24" holds a space (U+0020)`,
		" 10.1.2.3":     `entry 1 " 10.1.2.3" holds a space (U+0020)`,
		// Asterisk reads the first 30 characters of a prefix length: /0 here.
		"10.1.2.0/" + strings.Repeat("0", 30) + "24": `has more than three digits`,
		"10.1.2.0/0024": `prefix length 0024 has more than three digits`,
		// A zone on an IPv4-mapped netmask, which Unmap would drop.
		"0.0.0.0/::ffff:0:0%x":                        `netmask "::ffff:0:0%x" is neither a prefix length nor a dotted IPv4 netmask`,
		"10.0.0.0/::ffff:255.0.0.0%!,pbx.example.com": `is neither a prefix length`,
		"10.1.2.0/24;0.0.0.0/0\u00a0":                 `entry 2 "0.0.0.0/0\u00a0" holds a space (U+00A0)`,
		"\u30000.0.0.0/0":                             `holds a space (U+3000)`,
	} {
		_, err := ParseACL(text)
		if err == nil || !strings.Contains(err.Error(), want) || !strings.HasSuffix(err.Error(), ACLFormat) {
			t.Errorf("ParseACL(%q): error %v, want one holding %q and ending with the expected format", text, err, want)
		}
	}
}

// FuzzParseACL: no input panics, and what parses prints as CIDRs that
// parse back to the same networks.
func FuzzParseACL(f *testing.F) {
	for _, s := range []string{
		"10.0.0.0/255.0.0.0;192.168.1.1/255.255.255.255", "0.0.0.0/0.0.0.0", "", ";;", "10.0.0.0/255.0.255.0",
		"2001:db8::/ffff:ffff::", "::ffff:10.0.0.1/128", "dynamic", "1.2.3.4/99999999999999999999", "0.0.0.0/1;128.0.0.0/1",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		got, err := ParseACL(text)
		if err != nil {
			if got != nil {
				t.Fatalf("networks and an error: %v", err)
			}
			return
		}
		cidrs := make([]string, len(got))
		for i, p := range got {
			if p != p.Masked() {
				t.Fatalf("%s has host bits set", p)
			}
			cidrs[i] = p.String()
		}
		again, err := ParseACL(strings.Join(cidrs, ";"))
		if err != nil || len(again) != len(got) {
			t.Fatalf("%q does not parse back: %v %v", cidrs, again, err)
		}
		for i := range got {
			if again[i] != got[i] {
				t.Fatalf("%s parses back as %s", got[i], again[i])
			}
		}
		if ACLCoversEveryAddress(got) && !ACLCoversEveryAddress(append(got, netip.MustParsePrefix("10.0.0.0/8"))) {
			t.Fatal("adding a network uncovered an address")
		}
	})
}
