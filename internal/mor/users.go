package mor

import (
	"context"
	"errors"
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
	return emptyIfNothingFound(c.users.call(ctx, c, call))
}

// usersHandler collects page/status/users/user/<field>. Only <user>
// records belong in <users>, and a <user> nowhere else: a record out of
// place is a wrong answer, never a user left out.
type usersHandler struct {
	users    xmlscan.Records[User]
	cur      *User
	seenID   bool
	shape    answerShape // of <page>: its root and children
	inStatus bool        // the element under <page> being read is <status>
	inUsers  bool        // the element under <status> being read is <users>
	lists    int         // how many <users> lists the answer holds
	stray    string      // the first element out of place
	fields   fieldNames
	err      error
}

func (h *usersHandler) Start(depth int, name string) {
	h.shape.start(depth, name)
	switch {
	case depth == 2:
		h.inStatus = name == "status" && h.shape.root == "page"
		h.inUsers = false
	case depth == 3 && h.inStatus && name == "users":
		h.finishUser()
		h.cur = nil
		h.inUsers = true
		h.lists++
	case depth == 3:
		h.finishUser()
		h.cur = nil
		h.inUsers = false
		h.noteStray(name == "user", name)
	case depth == 4 && h.inUsers && name == "user":
		h.finishUser()
		h.cur = h.users.Add()
		h.seenID = false
		h.fields.reset()
	case depth == 4:
		h.noteStray(h.inUsers || name == "user", name)
	case depth > 4 && name == "user":
		h.noteStray(true, name)
	}
}

func (h *usersHandler) noteStray(stray bool, name string) {
	if stray && h.stray == "" {
		h.stray = name
	}
}

// finishUser checks the user just read: without an id a user cannot be
// told apart.
func (h *usersHandler) finishUser() {
	if h.cur != nil && !h.seenID && h.err == nil {
		h.err = xmlscan.SyntaxErrorf("a <user> without <id>")
	}
}

func (h *usersHandler) Leaf(depth int, name, value string) error {
	if depth == 3 && name == "users" && value != "" && h.inStatus {
		return containerText(name)
	}
	if h.cur == nil {
		return nil
	}
	if ok, err := h.fields.leaf("user", 5, depth, name); !ok {
		return err
	}
	u := h.cur
	var err error
	switch name {
	case "id":
		var id *int64
		if id, err = optID(name, value); id != nil {
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
	h := &usersHandler{}
	morErr, err := b.walk(h)
	if err != nil {
		return nil, "", err
	}
	h.finishUser()
	users := h.users.All()
	switch {
	case morErr != "" && len(users) > 0:
		return nil, "", recordsWithError(morErr)
	case morErr != "":
		return nil, morErr, nil
	case h.err != nil:
		return nil, "", h.err
	case h.lists == 0:
		return nil, "", wrongShape(&h.shape, "<page><status><users>, a users_get answer")
	case h.lists > 1:
		return nil, "", unexpectedAnswer("the answer holds %d <users> lists, where MOR sends one", h.lists)
	case h.stray != "":
		return nil, "", unexpectedAnswer("%s out of place: only <user> records belong in <users>, and a <user> nowhere else", tag(h.stray))
	}
	if err := duplicateID(users, func(u *User) (int64, bool) { return u.ID, true }); err != nil {
		return nil, "", err
	}
	return users, "", nil
}
