package provider

import (
	"strings"
	"sync"
)

// credentialColumnNames are device columns whose names do not say so but
// that can hold a credential: Asterisk realtime's auth can be
// user:secret@realm, and setvar sets channel variables, passwords among them.
var credentialColumnNames = map[string]bool{"auth": true, "setvar": true}

// credentialNameParts mark a column as a credential wherever they appear in
// its name, in any letter case, so that a column a newer MOR adds is kept
// out of attributes by its name alone.
var credentialNameParts = []string{"secret", "pass", "pin", "key", "token"}

// credentialColumn tells whether a device column can hold a credential: such
// a column goes to the sensitive secret_attributes, and only when
// include_secrets is true, never to attributes.
func credentialColumn(col string) bool {
	credentialColumnsSeen.RLock()
	credential, seen := credentialColumnsSeen.m[col]
	credentialColumnsSeen.RUnlock()
	if seen {
		return credential
	}
	credential = isCredentialName(col)
	credentialColumnsSeen.Lock()
	if len(credentialColumnsSeen.m) < maxColumnsSeen {
		credentialColumnsSeen.m[col] = credential
	}
	credentialColumnsSeen.Unlock()
	return credential
}

// credentialColumnsSeen remembers the answer for each column name met, as
// every lookup meets the same few hundred; it holds at most maxColumnsSeen,
// so answers full of made-up names cannot grow it without bound.
var credentialColumnsSeen = struct {
	sync.RWMutex
	m map[string]bool
}{m: map[string]bool{}}

const maxColumnsSeen = 4096

func isCredentialName(col string) bool {
	col = strings.ToLower(col)
	if credentialColumnNames[col] {
		return true
	}
	for _, part := range credentialNameParts {
		if strings.Contains(col, part) {
			return true
		}
	}
	return false
}

// deniedColumnsRule states the rule for the schema's descriptions.
const deniedColumnsRule = "`auth`, `setvar`, and every column whose name contains `secret`, `pass`, `pin`, `key` or `token` in any letter case"
