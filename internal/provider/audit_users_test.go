package provider

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/mor-terraform/terraform-provider-mor/internal/morsim"
)

// TestAuditModuleEveryReadableUser runs examples/modules/audit against the
// simulator with no user_ids, as the admin: it finds its users with
// mor_users, audits every one whose devices the admin may list (the
// admin's customers), reports the resellers' customers in unaudited_users
// instead of failing on them, and its findings equal those worked out here
// from the dataset.
func TestAuditModuleEveryReadableUser(t *testing.T) {
	t.Parallel()
	requireCLI(t, featureFunctions)
	data := morsim.Generate(42, testSizes)
	srv := httptest.NewServer(morsim.New(data, morsim.Options{}))
	t.Cleanup(srv.Close)

	var readable []morsim.User
	var wantUnaudited []string
	for _, u := range data.Users {
		switch {
		case u.Role == morsim.RoleUser && u.OwnerID == 0:
			readable = append(readable, u)
		case u.OwnerID != 0:
			wantUnaudited = append(wantUnaudited, fmt.Sprintf("%d %s %d", u.ID, u.Username, u.OwnerID))
		}
	}
	if len(readable) == 0 || len(wantUnaudited) == 0 {
		t.Fatal("the dataset has no admin's customer or no reseller's customer: the test would prove less than it says")
	}
	want := expectedAuditFindings(data, readable)

	module := auditModuleSource(t)
	config := fmt.Sprintf(`
module "audit" {
  source   = %q
  all_dids = true
  all_clis = true
}

output "findings" { value = module.audit.findings }
output "unaudited_users" { value = module.audit.unaudited_users }
output "audited_user_ids" { value = module.audit.audited_user_ids }
output "skipped_users" { value = module.audit.skipped_users }
`, module)
	tf := newCLIRunner(t, config, append(simEnv(srv.URL+"/billing", data), "MOR_PASSWORD="+morsim.PasswordOf("admin"))...)
	tf.mustRun("get", "-no-color")
	tf.mustRun("plan", "-input=false", "-no-color")
	tf.mustRun("apply", "-auto-approve", "-input=false", "-no-color")
	var out struct {
		Findings       struct{ Value []auditFinding } `json:"findings"`
		AuditedUserIDs struct{ Value []int64 }        `json:"audited_user_ids"`
		UnauditedUsers struct {
			Value []struct {
				ID       int64  `json:"id"`
				Username string `json:"username"`
				OwnerID  int64  `json:"owner_id"`
				Why      string `json:"why"`
			}
		} `json:"unaudited_users"`
		SkippedUsers struct {
			Value []struct {
				ID       int64  `json:"id"`
				UserType string `json:"usertype"`
				Why      string `json:"why"`
			}
		} `json:"skipped_users"`
	}
	if err := json.Unmarshal([]byte(tf.mustRun("output", "-json")), &out); err != nil {
		t.Fatal(err)
	}
	var wantIDs []int64
	for _, u := range readable {
		wantIDs = append(wantIDs, u.ID)
	}
	if !reflect.DeepEqual(out.AuditedUserIDs.Value, wantIDs) {
		t.Errorf("audited users %v, want the admin's customers %v", out.AuditedUserIDs.Value, wantIDs)
	}
	var gotUnaudited []string
	for _, u := range out.UnauditedUsers.Value {
		gotUnaudited = append(gotUnaudited, fmt.Sprintf("%d %s %d", u.ID, u.Username, u.OwnerID))
		if !strings.Contains(u.Why, "provider alias") {
			t.Errorf("unaudited user %d: why %q does not say how to audit it", u.ID, u.Why)
		}
	}
	if !reflect.DeepEqual(gotUnaudited, wantUnaudited) {
		t.Errorf("unaudited users %q, want the resellers' customers %q", gotUnaudited, wantUnaudited)
	}
	// Each skipped user's reason names what it is, and says why for a
	// reseller: its DID search returns its customers' DIDs.
	kinds := map[string]bool{}
	for _, u := range out.SkippedUsers.Value {
		kinds[u.UserType] = true
		article := "A "
		if u.UserType == "accountant" || u.UserType == "admin" {
			article = "An "
		}
		if !strings.HasPrefix(u.Why, article+u.UserType+", not a customer") || (u.UserType == "reseller") != strings.Contains(u.Why, "DIDs of its customers") {
			t.Errorf("skipped %s %d: why %q", u.UserType, u.ID, u.Why)
		}
	}
	if !kinds["reseller"] || !kinds["accountant"] {
		t.Errorf("skipped users of types %v: the dataset's resellers and accountants should be there", kinds)
	}
	got := map[string]auditFinding{}
	for _, f := range out.Findings.Value {
		got[f.key()] = f
	}
	if gotKeys, wantKeys := sortedKeys(got), sortedKeys(want); !reflect.DeepEqual(gotKeys, wantKeys) {
		t.Errorf("findings:\n got  %q\n want %q", gotKeys, wantKeys)
	}
}

// The README's example of auditing a reseller's customers: the admin's
// audit reports them in unaudited_users, and a second module instance,
// through a provider alias configured with the reseller's API user, audits
// them.
func TestAuditModuleResellerAlias(t *testing.T) {
	t.Parallel()
	requireCLI(t, featureFunctions)
	data := morsim.Generate(42, testSizes)
	srv := httptest.NewServer(morsim.New(data, morsim.Options{}))
	t.Cleanup(srv.Close)
	sim := &testSim{Data: data}
	reseller := sim.user("reseller1")
	var wantIDs []int64
	devices := 0
	for _, u := range data.Users {
		if u.OwnerID == reseller.ID {
			wantIDs = append(wantIDs, u.ID)
			devices += len(sim.devicesOf(u.ID))
		}
	}
	if len(wantIDs) == 0 || devices == 0 {
		t.Fatal("reseller1 has no customers with devices: the test would prove nothing")
	}
	module := auditModuleSource(t)
	config := fmt.Sprintf(`
provider "mor" {
  alias          = "reseller1"
  username       = "reseller1"
  api_secret_key = %q
}

module "mor_audit" {
  source = %q
}

module "mor_audit_reseller1" {
  source    = %q
  providers = { mor = mor.reseller1 }
  user_ids  = [for u in module.mor_audit.unaudited_users : u.id if u.owner_id == %d]
}

output "ids" { value = module.mor_audit_reseller1.audited_user_ids }
output "devices" { value = module.mor_audit_reseller1.audited_device_count }
`, data.APIKey, module, module, reseller.ID)
	tf := newCLIRunner(t, morProviderRequirement+config, append(simEnv(srv.URL+"/billing", data), "MOR_PASSWORD="+morsim.PasswordOf("admin"))...)
	tf.mustRun("get", "-no-color")
	tf.mustRun("apply", "-auto-approve", "-input=false", "-no-color")
	var out struct {
		IDs     struct{ Value []int64 } `json:"ids"`
		Devices struct{ Value int }     `json:"devices"`
	}
	if err := json.Unmarshal([]byte(tf.mustRun("output", "-json")), &out); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(out.IDs.Value, wantIDs) || out.Devices.Value != devices {
		t.Errorf("the reseller's audit covered users %v and %d devices, want %v and %d", out.IDs.Value, out.Devices.Value, wantIDs, devices)
	}
}

// The admin named in user_ids (as skipped_users advises for its own
// devices) is audited without a DID search by user 0, which mor_dids
// refuses: MOR would match it as every DID no reseller has.
func TestAuditModuleAdminInUserIDs(t *testing.T) {
	t.Parallel()
	requireCLI(t, featureFunctions)
	data := morsim.Generate(42, testSizes)
	sim := morsim.New(data, morsim.Options{})
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	module := auditModuleSource(t)
	config := fmt.Sprintf(`
module "audit" {
  source   = %q
  user_ids = [0]
}

output "audited_user_ids" { value = module.audit.audited_user_ids }
`, module)
	tf := newCLIRunner(t, config, simEnv(srv.URL+"/billing", data)...)
	tf.mustRun("get", "-no-color")
	tf.mustRun("plan", "-input=false", "-no-color")
	if n := sim.Stats().ByMethod[morsim.MethodDIDs]; n != 0 {
		t.Errorf("%d dids_get requests for the admin alone, want none", n)
	}
	if n := sim.Stats().ByMethod[morsim.MethodDevices]; n != 1 {
		t.Errorf("%d devices_get requests, want the admin's", n)
	}
}
