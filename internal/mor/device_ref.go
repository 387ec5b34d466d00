package mor

import (
	"fmt"
	"strings"
	"unicode"
)

// DeviceRef is a device as MOR names it in a DID's or a CLI's device
// column: technology and name, "SIP/1251".
type DeviceRef struct {
	// Protocol is the technology: SIP, IAX2, H323, dahdi, ….
	Protocol string
	// Name is the device's name, its SIP/IAX2 username for most devices.
	Name string
}

// DeviceRefFormat says what a device reference must look like.
const DeviceRefFormat = `expected "TECHNOLOGY/name" as MOR writes a device, e.g. "SIP/1251" or "IAX2/101"`

// ParseDeviceRef splits "SIP/1251" into its technology and name. Spaces
// around the whole are ignored; the technology is letters, digits, "_" and
// "-", the name anything after the first "/" without spaces or control
// characters.
func ParseDeviceRef(text string) (DeviceRef, error) {
	text = strings.TrimSpace(text)
	protocol, name, ok := strings.Cut(text, "/")
	switch {
	case text == "":
		return DeviceRef{}, fmt.Errorf("the text is empty; %s", DeviceRefFormat)
	case !ok:
		return DeviceRef{}, fmt.Errorf("%q has no \"/\"; %s", text, DeviceRefFormat)
	case protocol == "" || strings.IndexFunc(protocol, notTechnologyRune) >= 0:
		return DeviceRef{}, fmt.Errorf("%q does not start with a technology such as SIP or IAX2; %s", text, DeviceRefFormat)
	case name == "":
		return DeviceRef{}, fmt.Errorf("%q has no device name after the \"/\"; %s", text, DeviceRefFormat)
	case strings.IndexFunc(name, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) || r == unicode.ReplacementChar }) >= 0:
		return DeviceRef{}, fmt.Errorf("the device name in %q holds a space or a control character; %s", text, DeviceRefFormat)
	}
	return DeviceRef{Protocol: protocol, Name: name}, nil
}

func notTechnologyRune(r rune) bool {
	return r > unicode.MaxASCII || !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_' && r != '-'
}
