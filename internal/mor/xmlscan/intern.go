package xmlscan

import (
	"maps"
	"sync/atomic"
)

// known holds the element names of earlier documents, for interning:
// MOR's vocabulary is small, so a long answer allocates each distinct name
// once, and a short one (a device's record, one per mor_device lookup) none
// after the first. A published map is never written again, so reading it
// takes no lock; a document's new names are published in one copy at its
// end. It holds at most maxNames, so documents full of made-up names cannot
// grow it (or the copies) without bound, and only names of at most
// maxNameLen bytes, MOR's being short.
var known atomic.Pointer[map[string]string]

const (
	maxNames   = 4096
	maxNameLen = 64
)

// intern returns b as a string, allocated once per distinct name, and
// whether it is a valid name (checked when first seen).
func (s *xmlScanner) intern(b []byte) (string, bool) {
	if m := known.Load(); m != nil {
		if v, ok := (*m)[string(b)]; ok {
			return v, true
		}
	}
	if v, ok := s.names[string(b)]; ok {
		return v, true
	}
	if !validName(b) {
		return "", false
	}
	v := string(b)
	if s.names == nil {
		s.names = make(map[string]string)
	}
	if len(s.names) < maxNames && len(v) <= maxNameLen {
		s.names[v] = v
	}
	return v, true
}

// publish adds the document's new names to known, as far as maxNames
// allows. Should another document publish first, these wait for a later
// document that meets them again.
func (s *xmlScanner) publish() {
	if len(s.names) == 0 {
		return
	}
	old := known.Load()
	var m map[string]string
	switch {
	case old == nil:
		m = make(map[string]string, len(s.names))
	case len(*old) >= maxNames:
		return
	default:
		m = maps.Clone(*old)
	}
	for k, v := range s.names {
		if len(m) >= maxNames {
			break
		}
		m[k] = v
	}
	known.CompareAndSwap(old, &m)
}
