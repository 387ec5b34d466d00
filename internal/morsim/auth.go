package morsim

import (
	"crypto/sha1"
	"encoding/hex"
	"strconv"
)

// expectedHash is the server's side of the hash rule: SHA-1 of the method's
// hashed parameters (as the server reads them) followed by the key.
func expectedHash(method string, form map[string][]string, key string) string {
	get := func(k string) string {
		if v := form[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	var input string
	switch method {
	case MethodDevices, MethodDeviceList:
		// The server reads user_id as an integer.
		input = get("user_id")
		if n, err := strconv.ParseInt(input, 10, 64); err == nil {
			input = strconv.FormatInt(n, 10)
		}
	case MethodDeviceDetails:
		input = get("device_id")
	case MethodUsers:
		// users_get identifies the API user by u and p: both are hashed.
		input = get("u") + get("p")
	}
	return HashOf(input + key)
}

// HashOf is lowercase hex SHA-1, MOR's hash function.
func HashOf(s string) string {
	sum := sha1.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

// inScope says whether api may see target's records: the admin and its
// accountants see the admin's users, a reseller its own.
func inScope(api, target *User) bool {
	switch api.Role {
	case RoleAdmin, RoleAccountant:
		return target.OwnerID == 0
	case RoleReseller:
		return target.OwnerID == api.ID || target.ID == api.ID
	}
	return false
}
