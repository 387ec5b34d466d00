package mor

import (
	"errors"
	"strings"
	"testing"

	"github.com/mor-terraform/terraform-provider-mor/internal/mor/xmlscan"
)

const usersAnswer = `<?xml version="1.0" encoding="UTF-8"?>
<page>
  <status>
    <users>
      <user>
        <id>7</id>
        <username>john</username>
        <first_name> John </first_name>
        <last_name/>
        <balance>12.5000</balance>
        <blocked>1</blocked>
        <lcr_id>1</lcr_id>
        <tariff_id>2</tariff_id>
        <owner_id>3</owner_id>
        <usertype>user</usertype>
        <hidden>0</hidden>
      </user>
      <user>
        <id>3</id>
        <username>reseller1</username>
        <blocked>0</blocked>
        <owner_id>0</owner_id>
        <usertype>reseller</usertype>
      </user>
    </users>
  </status>
</page>
`

func TestDecodeUsers(t *testing.T) {
	t.Parallel()
	users, morErr, err := decodeWith(t, []byte(usersAnswer), decodeUsers)
	if err != nil || morErr != "" || len(users) != 2 {
		t.Fatalf("users %+v, MOR error %q, err %v", users, morErr, err)
	}
	u := users[0]
	if u.ID != 7 || *u.Username != "john" || *u.FirstName != "John" || u.LastName != nil || *u.Balance != "12.5000" ||
		!*u.Blocked || *u.LCRID != 1 || *u.TariffID != 2 || *u.OwnerID != 3 || *u.UserType != "user" || *u.Hidden {
		t.Errorf("first user: %+v", u)
	}
	// MOR's order, not sorted.
	if users[1].ID != 3 || *users[1].Blocked || users[1].Hidden != nil {
		t.Errorf("second user: %+v", users[1])
	}
}

// Every answer that is not a users_get list is refused, never read as an
// empty or partial list: malformed values (ErrSyntax) and answers of
// another shape (ErrUnexpectedAnswer).
func TestDecodeUsersRejects(t *testing.T) {
	t.Parallel()
	const list = `<page><status><users><user><id>2</id><username>bob</username></user></users>`
	for name, tc := range map[string]struct{ body, want string }{
		"no container": {`<page><status><user><id>1</id></user></status></page>`, "not <page><status><users>"},
		"other root":   {`<status><users><user><id>1</id></user></users></status>`, "not <page><status><users>"},
		"no id":        {`<page><status><users><user><username>a</username></user></users></status></page>`, "without <id>"},
		"duplicate id": {`<page><status><users><user><id>1</id></user><user><id>1</id></user></users></status></page>`, "two records with id 1"},
		"duplicate field": {`<page><status><users><user><id>1</id><owner_id>0</owner_id><owner_id>3</owner_id></user></users></status></page>`,
			"gives <owner_id> twice"},
		"a field holding elements": {`<page><status><users><user><id>1</id><username><b>x</b></username></user></users></status></page>`,
			"a user record has elements inside a field"},
		"an error among the fields": {`<page><status><users><user><id>1</id><error>x</error></user></users></status></page>`,
			"a user record holds an <error> among its fields"},
		"text in the list": {`<page><status><users>x</users></status></page>`, "<users> holds text where its records belong"},
		"duplicate field after many": {`<page><status><users><user><id>1</id>` + madeUpFields() + `<f99/></user></users></status></page>`,
			"gives <f99> twice"},
		"bad blocked":          {`<page><status><users><user><id>1</id><blocked>maybe</blocked></user></users></status></page>`, "<blocked>"},
		"bad owner":            {`<page><status><users><user><id>1</id><owner_id>x</owner_id></user></users></status></page>`, "<owner_id>"},
		"records and an error": {list + `<error>No Users found</error></status></page>`, "records together with an <error>"},
		"an error and records": {`<page><status><error>No Users found</error>` + list[len(`<page><status>`):] + `</status></page>`, "records together with an <error>"},
		"other record element": {`<page><status><users><customer><id>2</id></customer></users></status></page>`, "<customer> out of place"},
		"fields in the list":   {`<page><status><users><id>2</id><username>bob</username></users></status></page>`, "<id> out of place"},
		"user beside the list": {`<page><status><users/><user><id>2</id></user></status></page>`, "<user> out of place"},
		"two lists":            {list + `<users><user><id>3</id></user></users></status></page>`, "2 <users> lists"},
	} {
		users, morErr, err := decodeWith(t, []byte(tc.body), decodeUsers)
		refused := errors.Is(err, xmlscan.ErrSyntax) || errors.Is(err, ErrUnexpectedAnswer)
		if !refused || !strings.Contains(err.Error(), tc.want) || users != nil || morErr != "" {
			t.Errorf("%s: users %v, MOR error %q, err %v; want it refused with %q", name, users, morErr, err, tc.want)
		}
	}
}

func TestDecodeUsersEmptyAndErrors(t *testing.T) {
	t.Parallel()
	users, morErr, err := decodeWith(t, []byte(`<page><status><users/></status></page>`), decodeUsers)
	if err != nil || morErr != "" || users == nil || len(users) != 0 {
		t.Errorf("empty container: %v %q %v, want an empty list", users, morErr, err)
	}
	_, morErr, err = decodeWith(t, []byte(`<page><error>No Users found</error></page>`), decodeUsers)
	if err != nil || morErr != "No Users found" {
		t.Errorf("No Users found: %q %v", morErr, err)
	}
	if e := newAPIError(methodUsers, morErr); !errors.Is(e, ErrNothingFound) {
		t.Errorf("users_get's No Users found is %v, want ErrNothingFound", e.Kind)
	}
	// From any other method it is not a list MOR found empty.
	if e := newAPIError(methodDIDs, "No Users found"); errors.Is(e, ErrNothingFound) {
		t.Errorf("dids_get's No Users found is an empty list")
	}
}
