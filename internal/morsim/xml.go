package morsim

import (
	"bytes"
	"strings"
)

const xmlHeader = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"

// xmlEscaper escapes only & < >, as MOR does.
var xmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// xmlWriter writes MOR's two-space indented XML.
type xmlWriter struct {
	b bytes.Buffer
}

func (x *xmlWriter) indent(level int) {
	if x.b.Len() == 0 {
		x.b.WriteString(xmlHeader)
	}
	for range level {
		x.b.WriteString("  ")
	}
}

func (x *xmlWriter) open(level int, name string) {
	x.indent(level)
	x.b.WriteString("<" + name + ">\n")
}

func (x *xmlWriter) close(level int, name string) {
	x.indent(level)
	x.b.WriteString("</" + name + ">\n")
}

// leaf writes <name>value</name>, or <name/> for an empty value.
func (x *xmlWriter) leaf(level int, name, value string) {
	x.indent(level)
	if value == "" {
		x.b.WriteString("<" + name + "/>\n")
		return
	}
	x.b.WriteString("<" + name + ">")
	x.b.WriteString(xmlEscaper.Replace(value))
	x.b.WriteString("</" + name + ">\n")
}

// quirkyLeaf writes a value the way device_details_get does: wrapped in a
// space, or a newline, or (when empty) whitespace only, by variant.
// It is only used for the record's columns, one level below <page>.
func (x *xmlWriter) quirkyLeaf(name, value string, variant int) {
	x.indent(1)
	x.b.WriteString("<" + name + ">")
	switch variant % 3 {
	case 0:
		x.b.WriteString(xmlEscaper.Replace(value) + " ")
	case 1:
		x.b.WriteString("\n" + xmlEscaper.Replace(value) + " ")
	default:
		x.b.WriteString(" " + xmlEscaper.Replace(value) + "  \n")
	}
	x.b.WriteString("</" + name + ">\n")
}

func (x *xmlWriter) bytes() []byte { return x.b.Bytes() }

// The error shapes MOR uses, by where the error arises.

// preMethodError: checks made before any method runs.
func preMethodError(msg string) []byte {
	return []byte(xmlHeader + "<status>\n  <error>" + xmlEscaper.Replace(msg) + "</error>\n</status>\n")
}

// pageError: devices_get, dids_get and most device_clis_get errors.
func pageError(msg string) []byte {
	return []byte(xmlHeader + "<page>\n  <error>" + xmlEscaper.Replace(msg) + "</error>\n</page>\n")
}

// bareError: device_details_get.
func bareError(msg string) []byte {
	return []byte(xmlHeader + "<error>" + xmlEscaper.Replace(msg) + "</error>\n")
}
