package mor

import (
	"fmt"
	"strconv"
	"unicode/utf8"

	"github.com/mor-terraform/terraform-provider-mor/internal/mor/xmlscan"
)

// Helpers that turn MOR's text values into typed optional fields. An empty
// value (<port/>) is "not sent": nil.

func optString(v string) *string {
	if v == "" {
		return nil
	}
	return &v
}

// optInt reads a number column (a port, a limit, another row's id), which
// may be negative: MOR sets a provider's device's user_id to -1.
func optInt(field, v string) (*int64, error) {
	if v == "" {
		return nil, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return nil, fmt.Errorf("%w: <%s> holds %s, not a whole number", xmlscan.ErrSyntax, field, unquoted(v))
	}
	return &n, nil
}

// optID reads a record's own id, a row id MySQL counts up from 1 (the
// admin user's is 0): a sign means the column holds something else.
func optID(field, v string) (*int64, error) {
	if v == "" {
		return nil, nil
	}
	n, err := strconv.ParseUint(v, 10, 63)
	if err != nil {
		return nil, fmt.Errorf("%w: <%s> holds %s, not a whole number of zero or more", xmlscan.ErrSyntax, field, unquoted(v))
	}
	id := int64(n)
	return &id, nil
}

// EqualFoldASCII tells whether a and b are the same word in any ASCII letter
// case, for MOR's own words (a status, a user type): strings.EqualFold also
// folds other letters, so "uſer" (a long s) would pass for "user".
func EqualFoldASCII(a, b string) bool { return asciiLower(a) == asciiLower(b) }

// optBool reads MOR's booleans: yes/no, 1/0, true/false.
func optBool(field, v string) (*bool, error) {
	var b bool
	switch v {
	case "":
		return nil, nil
	case "yes", "Yes", "1", "true", "True":
		b = true
	case "no", "No", "0", "false", "False":
		b = false
	default:
		return nil, fmt.Errorf("%w: <%s> holds %s, not yes/no or 1/0", xmlscan.ErrSyntax, field, unquoted(v))
	}
	return &b, nil
}

// unquoted describes a value that failed to parse without quoting it: a
// broken answer may put a credential in any column.
func unquoted(v string) string {
	return fmt.Sprintf("%d characters of text", utf8.RuneCountInString(v))
}
