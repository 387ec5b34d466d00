package morsim

import (
	"net/url"
	"regexp"
	"strings"
	"testing"
)

func TestServerUsersGet(t *testing.T) {
	t.Parallel()
	data := Generate(1, Sizes{Resellers: 2, Users: 6})
	// A partner owning the second reseller.
	data.Users = append(data.Users, User{ID: 11, Username: "partner1", Name: "Partner 1", Role: RolePartner, Password: PasswordOf("partner1")})
	data.Users[4].OwnerID = 11
	s := New(data, Options{})
	key := data.APIKey
	ask := func(u, p string) string {
		return post(t, s, MethodUsers, url.Values{"u": {u}, "p": {p}, "hash": {HashOf(u + p + key)}})
	}
	idRe := regexp.MustCompile(`<id>(\d+)</id>`)
	ids := func(body string) string {
		var out []string
		for _, m := range idRe.FindAllStringSubmatch(body, -1) {
			out = append(out, m[1])
		}
		return strings.Join(out, ",")
	}
	// The hash covers u and p: the key alone does not pass.
	if got := post(t, s, MethodUsers, url.Values{"u": {"admin"}, "p": {PasswordOf("admin")}, "hash": {HashOf(key)}}); !strings.Contains(got, "Incorrect hash") {
		t.Errorf("key-alone hash: %s", got)
	}
	if got := ask("admin", "wrong"); !strings.Contains(got, "<error>Access Denied</error>") {
		t.Errorf("wrong password: %s", got)
	}
	// The unique hash stands in for p, unsigned: the hash is of u + key.
	for hash, want := range map[string]string{UniqueHashOf("admin"): "<users>", "0123456789": "<error>Access Denied</error>"} {
		if got := post(t, s, MethodUsers, url.Values{"u": {"admin"}, "uniquehash": {hash}, "hash": {HashOf("admin" + key)}}); !strings.Contains(got, want) {
			t.Errorf("uniquehash %s: %s, want %s", hash, got, want)
		}
	}
	if got := ask("user1", PasswordOf("user1")); !strings.Contains(got, "<error>Access Denied</error>") {
		t.Errorf("simple user: %s", got)
	}
	if got := ask("accountant_norights", PasswordOf("accountant_norights")); !strings.Contains(got, "You are not authorized to view this page") {
		t.Errorf("accountant without rights: %s", got)
	}
	admin := ask("admin", PasswordOf("admin"))
	if !strings.HasPrefix(admin, xmlHeader+"<page>\n  <status>\n    <users>\n      <user>\n") {
		t.Errorf("admin: %s", admin)
	}
	// Users: 0 admin, 1-2 accountants, 3-4 resellers, 5-10 users (6, 10 of
	// reseller 3, 8 of reseller 4), 11 partner1 owning reseller 4.
	for _, tc := range []struct{ user, want string }{
		{"admin", "1,2,3,4,5,6,7,8,9,10,11"},
		{"accountant", "0,3,4,5,6,7,8,9,10,11"},
		{"reseller1", "6,10"},
		{"reseller2", "8"},
		{"partner1", "4,8"},
	} {
		if got := ids(ask(tc.user, PasswordOf(tc.user))); got != tc.want {
			t.Errorf("%s sees users %s, want %s", tc.user, got, tc.want)
		}
	}
	lonely := New(&Dataset{APIKey: key, Users: []User{{ID: 3, Username: "r", Role: RoleReseller, Password: "pw"}}}, Options{})
	if got := post(t, lonely, MethodUsers, url.Values{"u": {"r"}, "p": {"pw"}, "hash": {HashOf("rpw" + key)}}); !strings.Contains(got, "<error>No Users found</error>") {
		t.Errorf("reseller without users: %s", got)
	}
}
