package mor

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// ACLFormat says what a device's permit and deny text must look like; it
// ends every ACL parse error.
const ACLFormat = `expected entries "address/netmask" joined by ";", the netmask dotted (255.255.255.0) or a prefix length (24), ` +
	`e.g. "10.0.0.0/255.0.0.0;192.168.1.1/32"`

// ParseACL reads a device's permit or deny text, as MOR stores it for
// Asterisk: entries "address/netmask" joined by ";". The netmask is dotted
// (255.255.255.0) or a prefix length (24); an address without one is a
// single host, as Asterisk reads it. Addresses are IPv4 or IPv6; an
// IPv4-mapped IPv6 address (::ffff:10.0.0.0) is its IPv4 address, with an
// IPv4 netmask, as Asterisk converts it before reading the netmask, and so
// is an IPv4-mapped netmask (::ffff:255.0.0.0). Each entry
// becomes its network, with the host bits cleared as Asterisk clears them
// ("192.168.1.7/24" is 192.168.1.0/24). Empty entries (a trailing ";"),
// and entries of ASCII blanks alone, hold no network and are ignored, so
// empty text is an empty list. An entry holding a blank or any other space
// is an error: which blanks Asterisk strips depends on the realtime driver
// that loads the device, and an address or netmask with a blank in it is
// not one it reads, so such an entry may be dropped.
//
// A netmask whose one bits are not contiguous (255.0.255.0) cannot be
// written as a CIDR prefix and is an error, as is anything that is not an
// address: a host name, "dynamic", Asterisk's "!" negation.
func ParseACL(text string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for n, entry := range strings.Split(text, ";") {
		if strings.Trim(entry, asciiBlanks) == "" {
			continue
		}
		if i := strings.IndexFunc(entry, unicode.IsSpace); i >= 0 {
			return nil, fmt.Errorf("entry %d %q holds a space (%U), which Asterisk may not strip; %s", n+1, entry, []rune(entry[i:])[0], ACLFormat)
		}
		p, err := parseACLEntry(entry)
		if err != nil {
			return nil, fmt.Errorf("entry %d %q: %w; %s", n+1, entry, err, ACLFormat)
		}
		out = append(out, p)
	}
	return out, nil
}

// asciiBlanks are the characters C's isspace finds.
const asciiBlanks = " \t\n\v\f\r"

func parseACLEntry(entry string) (netip.Prefix, error) {
	addrText, maskText, hasMask := strings.Cut(entry, "/")
	addr, err := netip.ParseAddr(addrText)
	if err != nil || addr.Zone() != "" {
		return netip.Prefix{}, fmt.Errorf("%q is not an IPv4 or IPv6 address", addrText)
	}
	addr = addr.Unmap()
	if !hasMask {
		return netip.PrefixFrom(addr, addr.BitLen()), nil
	}
	bits, err := maskBits(maskText, addr)
	if err != nil {
		return netip.Prefix{}, err
	}
	return netip.PrefixFrom(addr, bits).Masked(), nil
}

// maskBits reads a netmask, as a prefix length or in the address's own
// notation (255.255.255.0, ffff:ffff::), as the number of network bits.
func maskBits(mask string, addr netip.Addr) (int, error) {
	if mask != "" && strings.Trim(mask, "0123456789") == "" {
		// Asterisk reads at most the first 30 characters of a prefix length
		// (sscanf's %30d), so a longer one is not the number it looks like;
		// no prefix length needs more than three.
		if len(mask) > 3 {
			return 0, fmt.Errorf("prefix length %s has more than three digits", mask)
		}
		bits, err := strconv.Atoi(mask)
		if err != nil || bits > addr.BitLen() {
			return 0, fmt.Errorf("prefix length %s is out of range 0-%d", mask, addr.BitLen())
		}
		return bits, nil
	}
	m, err := netip.ParseAddr(mask)
	// Asterisk converts an IPv4-mapped netmask as it does an address, once
	// it has read it, which a zone prevents; Unmap drops the zone.
	zoned := m.Zone() != ""
	m = m.Unmap()
	if err != nil || zoned || m.Is4() != addr.Is4() {
		family := "a dotted IPv4 netmask"
		if addr.Is6() {
			family = "an IPv6 netmask"
		}
		return 0, fmt.Errorf("netmask %q is neither a prefix length nor %s", mask, family)
	}
	raw := m.AsSlice()
	bits := 0
	for bits < len(raw)*8 && raw[bits/8]&(0x80>>(bits%8)) != 0 {
		bits++
	}
	if netip.PrefixFrom(m, bits).Masked().Addr() != m {
		return 0, fmt.Errorf("netmask %s is not contiguous, so no CIDR prefix expresses it", mask)
	}
	return bits, nil
}

// ACLCoversEveryAddress tells whether the networks together hold every IPv4
// address or every IPv6 address: one 0.0.0.0/0, or pieces such as
// 0.0.0.0/1 and 128.0.0.0/1.
func ACLCoversEveryAddress(prefixes []netip.Prefix) bool {
	return coversFamily(prefixes, netip.IPv4Unspecified()) || coversFamily(prefixes, netip.IPv6Unspecified())
}

// coversFamily sweeps the networks of first's family in address order and
// tells whether they leave no gap from first to the family's last address.
func coversFamily(prefixes []netip.Prefix, first netip.Addr) bool {
	var nets []netip.Prefix
	for _, p := range prefixes {
		if p.Addr().Is4() == first.Is4() {
			nets = append(nets, p.Masked())
		}
	}
	slices.SortFunc(nets, func(a, b netip.Prefix) int { return a.Addr().Compare(b.Addr()) })
	next := first // the lowest address not yet covered
	for _, p := range nets {
		if next.Less(p.Addr()) {
			return false
		}
		last := lastAddr(p)
		if !last.Less(next) {
			next = last.Next()
			if !next.IsValid() { // past the family's last address
				return true
			}
		}
	}
	return false
}

// lastAddr is the highest address of a network.
func lastAddr(p netip.Prefix) netip.Addr {
	raw := p.Masked().Addr().AsSlice()
	for bit := p.Bits(); bit < len(raw)*8; bit++ {
		raw[bit/8] |= 0x80 >> (bit % 8)
	}
	last, _ := netip.AddrFromSlice(raw)
	return last
}
