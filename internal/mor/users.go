package mor

import (
	"context"
	"errors"
	"fmt"
	"net/url"

	"github.com/mor-terraform/terraform-provider-mor/internal/mor/xmlscan"
)

// User is one entry of users_get. Fields MOR did not send are nil.
type User struct {
	ID        int64
	Username  *string
	FirstName *string
	LastName  *string
	// Balance as MOR formats it, a decimal string such as 12.5000.
	Balance  *string
	Blocked  *bool
	LCRID    *int64
	TariffID *int64
	// OwnerID is the admin (0) or the reseller or partner owning the user.
	OwnerID *int64
	// UserType is admin, accountant, reseller, partner or user.
	UserType *string
	// Hidden is sent by releases from late 2025 only.
	Hidden *bool
}

// ErrPasswordRequired: users_get needs the API user's login password (or
// its unique hash), and neither Config.Password nor Config.UniqueHash is set.
var ErrPasswordRequired = errors.New("users_get identifies the API user by its login password, and no password is configured")

// Users lists every user the API user may see (users_get, MOR X8 and
// later), in MOR's order. MOR's "No Users found" gives an empty list.
// Without a configured password or unique hash it fails before sending
// anything: MOR would only answer Access Denied.
func (c *Client) Users(ctx context.Context) ([]User, error) {
	// users_get hashes u and p (empty when the unique hash stands in for
	// it); signedForm sends p when it is set.
	call := apiCall{method: methodUsers, hashed: []string{c.cfg.Username, c.cfg.Password}}
	switch {
	case c.cfg.Password != "":
	case c.cfg.UniqueHash != "":
		call.secret = url.Values{"uniquehash": {c.cfg.UniqueHash}}
	default:
		return nil, &ConfigError{Setting: SettingPassword, Err: ErrPasswordRequired}
	}
	return listOf(c.users.call(ctx, c, call))
}

// usersHandler collects page/status/users/user/<field>, and notes whether
// the users container came where MOR puts it.
type usersHandler struct {
	users     xmlscan.Records[User]
	cur       *User
	path      [4]string // element names at depths 1 to 4
	container bool
	seenID    bool
	fields    map[string]bool // of the current user
	ids       map[int64]bool
	err       error
}

func (h *usersHandler) Start(depth int, name string) {
	if depth <= len(h.path) {
		h.path[depth-1] = name
	}
	if depth == 3 && name == "users" && h.path[0] == "page" && h.path[1] == "status" {
		h.container = true
	}
	if depth == 4 && name == "user" && h.inContainer() {
		h.finishUser()
		h.cur = h.users.Add()
		h.seenID = false
		clear(h.fields)
	}
}

func (h *usersHandler) inContainer() bool {
	return h.path[0] == "page" && h.path[1] == "status" && h.path[2] == "users"
}

// finishUser checks the user just read: without an id a user cannot be
// told apart, and two entries with one id would be two different answers.
func (h *usersHandler) finishUser() {
	if h.cur == nil || h.err != nil {
		return
	}
	if !h.seenID {
		h.err = xmlscan.SyntaxErrorf("a <user> without <id>")
		return
	}
	if h.ids[h.cur.ID] {
		h.err = xmlscan.SyntaxErrorf("two <user> entries with the same <id>")
		return
	}
	h.ids[h.cur.ID] = true
}

func (h *usersHandler) Leaf(depth int, name, value string) error {
	if depth != 5 || h.cur == nil || !h.inContainer() || h.path[3] != "user" {
		return nil
	}
	if h.fields[name] {
		return xmlscan.SyntaxErrorf("a <user> with two <%s> elements", xmlscan.Truncate([]byte(name)))
	}
	h.fields[name] = true
	u := h.cur
	var err error
	switch name {
	case "id":
		var id *int64
		if id, err = optInt(name, value); id != nil {
			u.ID, h.seenID = *id, true
		}
	case "username":
		u.Username = optString(value)
	case "first_name":
		u.FirstName = optString(value)
	case "last_name":
		u.LastName = optString(value)
	case "balance":
		u.Balance = optString(value)
	case "blocked":
		u.Blocked, err = optBool(name, value)
	case "lcr_id":
		u.LCRID, err = optInt(name, value)
	case "tariff_id":
		u.TariffID, err = optInt(name, value)
	case "owner_id":
		u.OwnerID, err = optInt(name, value)
	case "usertype":
		u.UserType = optString(value)
	case "hidden":
		u.Hidden, err = optBool(name, value)
	}
	return err
}

func decodeUsers(b *body) ([]User, string, error) {
	h := &usersHandler{fields: map[string]bool{}, ids: map[int64]bool{}}
	morErr, err := b.walk(h)
	if err != nil || morErr != "" {
		return nil, morErr, err
	}
	if h.finishUser(); h.err != nil {
		return nil, "", h.err
	}
	if !h.container {
		return nil, "", fmt.Errorf("%w: the answer holds no <page><status><users> list and no error", xmlscan.ErrSyntax)
	}
	return h.users.All(), "", nil
}
