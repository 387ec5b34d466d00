package mor

import (
	"crypto/sha1"
	"encoding/hex"
)

// hashOf is MOR's request hash: lowercase hex SHA-1 of the hashed parameter
// values, concatenated, followed by the secret key.
func hashOf(key string, values ...string) string {
	h := sha1.New()
	for _, v := range values {
		h.Write([]byte(v))
	}
	h.Write([]byte(key))
	return hex.EncodeToString(h.Sum(nil))
}
