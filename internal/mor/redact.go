package mor

import (
	"strings"
)

// redact removes the key, the password and the given hashes from s.
func (c *Client) redact(s string, hashes ...string) string {
	for _, secret := range append(hashes, c.secrets...) {
		if secret != "" {
			s = strings.ReplaceAll(s, secret, "[redacted]")
		}
	}
	return s
}
