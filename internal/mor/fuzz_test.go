package mor

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// The fuzz targets run their seed corpus (testdata/*.xml, the f.Add cases and
// testdata/fuzz/<Target>/) as plain tests in `go test`; `make fuzz` runs each
// for longer. Each checks that a decoder never panics, never loops, and
// returns either a result or an error, never both nor neither.

func addCorpus(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.xml")
	for _, name := range files {
		raw, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(raw)
	}
	for _, s := range []string{
		"", "<", "<page>", "<page/>", "<error>Incorrect hash</error>",
		"<page><status><status>Bad login</status></status></page>",
		"<page><status><error>CLIs were not found</error></status></page>",
		"<html><body>login</body></html>", "\x1f\x8b\x08\x00", "PK\x03\x04",
		"<page><dids><did><did>&#x10FFFF;&amp;&lt;</did></did></dids></page>",
		"<page><devices><device><device_id>1</device_id><port>x</port></device></devices></page>",
		"<page><status><cli_id>1</cli_id><cli_banned>2</cli_banned></status></page>",
		"<!DOCTYPE x [<!ENTITY a \"b\">]><page><![CDATA[x]]></page>",
	} {
		f.Add([]byte(s))
	}
}

func fuzzDecoder[T any](f *testing.F, decode func(*body) (T, string, error), isNil func(T) bool) {
	addCorpus(f)
	f.Fuzz(func(t *testing.T, raw []byte) {
		got, morErr, err := decodeWith(t, raw, decode)
		switch {
		case err != nil && !isNil(got):
			t.Fatalf("a result and an error: %v", err)
		case err == nil && morErr == "" && isNil(got):
			t.Fatalf("neither a result nor an error")
		case err != nil && errors.Is(err, io.EOF):
			t.Fatalf("a bare EOF leaked: %v", err)
		}
	})
}

func FuzzDecodeDevices(f *testing.F) {
	fuzzDecoder(f, decodeDevices, func(v []Device) bool { return v == nil })
}

func FuzzDecodeDeviceDetails(f *testing.F) {
	fuzzDecoder(f, decodeDeviceDetails, func(v *DeviceDetails) bool { return v == nil })
}

func FuzzDecodeDIDs(f *testing.F) {
	fuzzDecoder(f, decodeDIDs, func(v []DID) bool { return v == nil })
}

func FuzzDecodeCLIs(f *testing.F) {
	fuzzDecoder(f, decodeCLIs, func(v []CLI) bool { return v == nil })
}

func FuzzDecodeUsers(f *testing.F) {
	f.Add([]byte(usersAnswer))
	fuzzDecoder(f, decodeUsers, func(v []User) bool { return v == nil })
}
