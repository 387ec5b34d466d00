package provider

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/mor-terraform/terraform-provider-mor/internal/mor"
	"github.com/mor-terraform/terraform-provider-mor/internal/morsim"
)

// formRecorder serves the simulator and keeps the form of every users_get
// request, to check what the provider sent from the server's side.
type formRecorder struct {
	next  http.Handler
	mu    sync.Mutex
	forms []url.Values
}

func (f *formRecorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasSuffix(r.URL.Path, "/api/"+morsim.MethodUsers) && r.ParseForm() == nil {
		f.mu.Lock()
		f.forms = append(f.forms, r.Form)
		f.mu.Unlock()
	}
	f.next.ServeHTTP(w, r)
}

func (f *formRecorder) usersForms() []url.Values {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]url.Values(nil), f.forms...)
}

// newRecordingSim is newTestSim with users_get requests recorded.
func newRecordingSim(t *testing.T) (*testSim, *formRecorder) {
	t.Helper()
	data := morsim.Generate(42, testSizes)
	sim := morsim.New(data, morsim.Options{})
	rec := &formRecorder{next: sim}
	srv := httptest.NewServer(rec)
	t.Cleanup(srv.Close)
	return &testSim{Server: sim, URL: srv.URL + "/billing", Data: data}, rec
}

// expectUsers checks a mor_users list element by element.
func expectUsers(addr string, users []morsim.User) statecheck.StateCheck {
	checks := []knownvalue.Check{}
	for _, u := range users {
		checks = append(checks, knownvalue.ObjectExact(map[string]knownvalue.Check{
			"id": knownvalue.Int64Exact(u.ID), "username": knownvalue.StringExact(u.Username),
			"first_name": stringOrNull(u.FirstName), "last_name": stringOrNull(u.LastName),
			"usertype": knownvalue.StringExact(u.Role), "owner_id": knownvalue.Int64Exact(u.OwnerID),
			"blocked": knownvalue.Bool(u.Blocked), "hidden": knownvalue.Bool(u.Hidden), "lcr_id": knownvalue.Int64Exact(u.LCRID),
			"tariff_id": knownvalue.Int64Exact(u.TariffID), "balance": knownvalue.StringExact(u.Balance),
		}))
	}
	return statecheck.ExpectKnownValue(addr, tfjsonpath.New("users"), knownvalue.ListExact(checks))
}

// mor_users as the admin, a reseller and an accountant: exactly the users
// each may see, blocked ones included, sorted by id; the filters; and the
// request carries p and the hash of u + p + key.
func TestUsersDataSource(t *testing.T) {
	t.Parallel()
	sim, rec := newRecordingSim(t)
	reseller := sim.user("reseller1")
	blocked := 0
	for _, u := range sim.usersSeenBy("admin", nil) {
		if u.Blocked {
			blocked++
		}
	}
	if blocked == 0 || len(sim.usersSeenBy("reseller1", nil)) == 0 {
		t.Fatal("the dataset has no blocked user or no reseller's user: the test would prove less than it says")
	}
	// One role per step: in-process, every provider block of a step
	// configures the same provider server.
	config := sim.providerConfig(fmt.Sprintf("password = %q", morsim.PasswordOf("admin"))) + fmt.Sprintf(`
data "mor_users" "all" {}
data "mor_users" "of_reseller" { owner_id = %d }
data "mor_users" "resellers" { usertype = "Reseller" } # in any letter case
data "mor_users" "both" {
  owner_id = 0
  usertype = "user"
}
`, reseller.ID)
	as := func(user string) string {
		return fmt.Sprintf(`provider "mor" {
  url            = %q
  username       = %q
  password       = %q
  api_secret_key = %q
}
data "mor_users" "all" {}
`, sim.URL, user, morsim.PasswordOf(user), sim.Data.APIKey)
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      sim.providerConfig(`password = "x"`) + `data "mor_users" "bad" { usertype = "customer" }`,
				ExpectError: errorRe(`Attribute usertype value must be one of`),
			},
			{
				// Any ASCII letter case only, as the provider compares MOR's
				// types: "uſer", with a long s, is no type of MOR's.
				Config:      sim.providerConfig(`password = "x"`) + `data "mor_users" "bad" { usertype = "uſer" }`,
				ExpectError: errorRe(`Attribute usertype must be written in ASCII letters`),
			},
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					expectUsers("data.mor_users.all", sim.usersSeenBy("admin", nil)),
					expectUsers("data.mor_users.of_reseller", sim.usersSeenBy("admin", func(u morsim.User) bool { return u.OwnerID == reseller.ID })),
					expectUsers("data.mor_users.resellers", sim.usersSeenBy("admin", func(u morsim.User) bool { return u.Role == morsim.RoleReseller })),
					expectUsers("data.mor_users.both", sim.usersSeenBy("admin", func(u morsim.User) bool { return u.OwnerID == 0 && u.Role == morsim.RoleUser })),
				},
			},
			{
				Config:            as("reseller1"),
				ConfigStateChecks: []statecheck.StateCheck{expectUsers("data.mor_users.all", sim.usersSeenBy("reseller1", nil))},
			},
			{
				Config:            as("accountant"),
				ConfigStateChecks: []statecheck.StateCheck{expectUsers("data.mor_users.all", sim.usersSeenBy("accountant", nil))},
			},
		},
	})
	forms := rec.usersForms()
	if len(forms) == 0 {
		t.Fatal("no users_get request was recorded")
	}
	for _, form := range forms {
		u, p := form.Get("u"), form.Get("p")
		if p != morsim.PasswordOf(u) || form.Get("hash") != morsim.HashOf(u+p+sim.Data.APIKey) {
			t.Errorf("users_get as %q: p is not the password, or hash is not SHA1(u + p + key)", u)
		}
	}
}

// No password configured fails before any request; a wrong password, a
// simple user and an accountant without the right fail with MOR's answer
// and what to do.
func TestUsersDataSourceErrors(t *testing.T) {
	t.Setenv("MOR_PASSWORD", "")
	t.Setenv("MOR_UNIQUEHASH", "")
	sim := newTestSim(t)
	as := func(user, password string) string {
		return fmt.Sprintf(`provider "mor" {
  url            = %q
  username       = %q
  password       = %q
  api_secret_key = %q
}
data "mor_users" "all" {}
`, sim.URL, user, password, sim.Data.APIKey)
	}
	denied := "MOR answered: Access Denied. Check username / MOR_USERNAME and password / MOR_PASSWORD: users_get identifies the API user by username and login password"
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      sim.providerConfig() + `data "mor_users" "all" {}`,
				ExpectError: errorRe("MOR Password Required"),
			},
			{
				PreConfig: func() {
					if n := sim.Stats().ByMethod[morsim.MethodUsers]; n != 0 {
						t.Errorf("without a password, %d users_get requests were sent", n)
					}
				},
				Config:      as("admin", "wrong-password"),
				ExpectError: errorRe(denied),
			},
			{
				Config: fmt.Sprintf(`provider "mor" {
  url            = %q
  username       = "admin"
  uniquehash     = "0123456789"
  api_secret_key = %q
}
data "mor_users" "all" {}
`, sim.URL, sim.Data.APIKey),
				// No password: the unique hash is what MOR turned down.
				ExpectError: errorRe("MOR answered: Access Denied. Check username / MOR_USERNAME and uniquehash / MOR_UNIQUEHASH: users_get identifies the API user by username and unique hash"),
			},
			{
				Config:      as("user1", morsim.PasswordOf("user1")),
				ExpectError: errorRe(denied),
			},
			{
				Config:      as("accountant_norights", morsim.PasswordOf("accountant_norights")),
				ExpectError: errorRe("MOR answered: You are not authorized to view this page."),
			},
		},
	})
	if n := sim.Stats().ByMethod[morsim.MethodUsers]; n == 0 {
		t.Error("no users_get request reached the simulator: the errors above did not come from MOR")
	}
}

// A TRACE log of a mor_users read holds neither the password, nor p, nor
// the hash made with it.
func TestUsersTraceLogHoldsNoPassword(t *testing.T) {
	t.Parallel()
	sim, rec := newRecordingSim(t)
	password := morsim.PasswordOf("admin")
	logFile := filepath.Join(t.TempDir(), "terraform.log")
	tf := newCLIRunner(t, morProviderRequirement+`provider "mor" {}
data "mor_users" "all" {}
output "n" { value = length(data.mor_users.all.users) }
`, append(simEnv(sim.URL, sim.Data), "MOR_PASSWORD="+password, "TF_LOG=TRACE", "TF_LOG_PROVIDER=TRACE", "TF_LOG_PATH="+logFile)...)
	out := tf.mustRun("plan", "-input=false", "-no-color")
	logs, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	forms := rec.usersForms()
	if len(forms) == 0 || !strings.Contains(string(logs), "users_get") {
		t.Fatalf("no users_get request, or the TRACE log (%d bytes) does not show it: the check below would prove nothing", len(logs))
	}
	for name, text := range map[string]string{"TRACE log": string(logs), "plan output": out} {
		for secret, what := range map[string]string{password: "the password", forms[0].Get("hash"): "the users_get hash", "p=" + password: "p"} {
			if strings.Contains(text, secret) {
				t.Errorf("the %s holds %s", name, what)
			}
		}
	}
}

// The mor_users example runs as written against the simulator, as the
// admin with its password in MOR_PASSWORD.
func TestUsersExample(t *testing.T) {
	t.Parallel()
	sim := newTestSim(t)
	example, err := os.ReadFile("../../examples/data-sources/mor_users/data-source.tf")
	if err != nil {
		t.Fatal(err)
	}
	tf := newCLIRunner(t, morProviderRequirement+"provider \"mor\" {}\n"+string(example),
		append(simEnv(sim.URL, sim.Data), "MOR_PASSWORD="+morsim.PasswordOf("admin"))...)
	tf.mustRun("apply", "-auto-approve", "-input=false", "-no-color")
	var out struct {
		OwnCustomerIDs struct{ Value []int64 } `json:"own_customer_ids"`
	}
	if err := json.Unmarshal([]byte(tf.mustRun("output", "-json")), &out); err != nil {
		t.Fatal(err)
	}
	var want []int64
	for _, u := range sim.usersSeenBy("admin", func(u morsim.User) bool { return u.OwnerID == 0 && u.Role == morsim.RoleUser }) {
		want = append(want, u.ID)
	}
	if fmt.Sprint(out.OwnCustomerIDs.Value) != fmt.Sprint(want) || len(want) == 0 {
		t.Errorf("own_customer_ids %v, want %v", out.OwnCustomerIDs.Value, want)
	}
}

// The unique hash stands in for the password: sent as uniquehash, not
// signed (the hash is of u + key), never in the TRACE log.
func TestUsersUniqueHash(t *testing.T) {
	t.Parallel()
	sim, rec := newRecordingSim(t)
	uniqueHash := morsim.UniqueHashOf("admin")
	logFile := filepath.Join(t.TempDir(), "terraform.log")
	tf := newCLIRunner(t, morProviderRequirement+`provider "mor" {}
data "mor_users" "all" {}
output "n" { value = length(data.mor_users.all.users) }
`, "MOR_URL="+sim.URL, "MOR_USERNAME=admin", "MOR_API_SECRET_KEY="+sim.Data.APIKey, // no MOR_PASSWORD: it would win
		"MOR_UNIQUEHASH="+uniqueHash, "TF_LOG=TRACE", "TF_LOG_PROVIDER=TRACE", "TF_LOG_PATH="+logFile)
	tf.mustRun("apply", "-auto-approve", "-input=false", "-no-color")
	if n := strings.TrimSpace(tf.mustRun("output", "-raw", "n")); n != fmt.Sprint(len(sim.usersSeenBy("admin", nil))) {
		t.Errorf("%s users, want %d", n, len(sim.usersSeenBy("admin", nil)))
	}
	forms := rec.usersForms()
	if len(forms) == 0 {
		t.Fatal("no users_get request was recorded")
	}
	for _, form := range forms {
		if _, sent := form["p"]; sent || form.Get("uniquehash") != uniqueHash || form.Get("hash") != morsim.HashOf("admin"+sim.Data.APIKey) {
			t.Errorf("users_get with a unique hash: p sent %v, uniquehash right %v, hash of u + key %v",
				sent, form.Get("uniquehash") == uniqueHash, form.Get("hash") == morsim.HashOf("admin"+sim.Data.APIKey))
		}
	}
	logs, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(logs), "users_get") {
		t.Fatal("the TRACE log does not show users_get: the check below would prove nothing")
	}
	if strings.Contains(string(logs), uniqueHash) || strings.Contains(string(logs), forms[0].Get("hash")) {
		t.Error("the TRACE log holds the unique hash or the request hash")
	}
}

// A usertype is one of MOR's five in any ASCII letter case only: "uſer" (a
// long s), which strings.EqualFold folds to "user", is a type MOR does not
// have, and fails a filtered read as any such type does.
func TestUsertypeIsMORsInASCIILettersOnly(t *testing.T) {
	t.Parallel()
	longS := "u\u017fer"
	_, problem := userList([]mor.User{{ID: 3, UserType: &longS}}, nil, "user")
	if problem == "" {
		t.Errorf("a user of type %q passed the usertype filter \"user\"; want the read to fail as for any type MOR does not have", longS)
	}
}
