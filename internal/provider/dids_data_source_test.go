package provider

import (
	"fmt"
	"math/big"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/mor-terraform/terraform-provider-mor/internal/mor"
	"github.com/mor-terraform/terraform-provider-mor/internal/morsim"
)

// inAdminStatusSearch tells whether the provider lists d in an admin's
// search for status: every DID of that status, resellers' included (MOR's
// own free and active searches leave those out; the provider undoes it).
func inAdminStatusSearch(d morsim.DID, status string) bool {
	return d.Status == status
}

func TestDIDsDataSource(t *testing.T) {
	t.Parallel()
	sim := newTestSim(t)
	user1 := sim.user("user1")
	var routed morsim.DID // an active DID routed to a device of the admin's user
	for _, d := range sim.Data.DIDs {
		if d.DeviceID != 0 && d.ResellerID == 0 {
			routed = d
			break
		}
	}
	if routed.ID == 0 {
		t.Fatal("the dataset has no routed DID")
	}
	var owner morsim.User
	for _, u := range sim.Data.Users {
		if u.ID == routed.UserID {
			owner = u
		}
	}
	prefix := routed.Number[:len(routed.Number)-2]
	var statusChecks []statecheck.StateCheck
	var statusBlocks []string
	for _, status := range mor.DIDStatuses {
		statusBlocks = append(statusBlocks, fmt.Sprintf(`data "mor_dids" "status_%s" { status = %q }`, status, strings.ToUpper(status)))
		statusChecks = append(statusChecks, sim.expectDIDs("data.mor_dids.status_"+status, func(d morsim.DID) bool { return inAdminStatusSearch(d, status) }))
	}

	config := sim.providerConfig() + strings.Join(statusBlocks, "\n") + fmt.Sprintf(`
data "mor_dids" "all" {}
data "mor_dids" "exact" { did_number = %q }
data "mor_dids" "like" { did_number = "%s%%" }
data "mor_dids" "owner" { owner = %q }
data "mor_dids" "dialplan" { dialplan_id = 1 }
data "mor_dids" "user" { user_id = %d }
data "mor_dids" "device" { device_id = %d }
data "mor_dids" "provider" { provider_id = 2 }
data "mor_dids" "language" { language = "lt" }
data "mor_dids" "hide_terminated" { hide_terminated = true }
data "mor_dids" "combined" {
  status      = "active"
  provider_id = 1
  language    = "en"
}
data "mor_dids" "none" { did_number = "0000000" }
`, routed.Number, prefix, owner.Name, user1.ID, routed.DeviceID)

	checks := append(statusChecks,
		sim.expectDIDs("data.mor_dids.all", func(morsim.DID) bool { return true }),
		sim.expectDIDs("data.mor_dids.exact", func(d morsim.DID) bool { return d.Number == routed.Number }),
		sim.expectDIDs("data.mor_dids.like", func(d morsim.DID) bool { return strings.HasPrefix(d.Number, prefix) }),
		sim.expectDIDs("data.mor_dids.owner", func(d morsim.DID) bool { return d.UserID == owner.ID }),
		sim.expectDIDs("data.mor_dids.dialplan", func(d morsim.DID) bool { return d.DialplanID == 1 }),
		sim.expectDIDs("data.mor_dids.user", func(d morsim.DID) bool { return d.UserID == user1.ID }),
		sim.expectDIDs("data.mor_dids.device", func(d morsim.DID) bool { return d.DeviceID == routed.DeviceID }),
		sim.expectDIDs("data.mor_dids.provider", func(d morsim.DID) bool { return d.ProviderID == 2 }),
		sim.expectDIDs("data.mor_dids.language", func(d morsim.DID) bool { return d.Language == "lt" }),
		sim.expectDIDs("data.mor_dids.hide_terminated", func(d morsim.DID) bool { return d.Status != "terminated" }),
		sim.expectDIDs("data.mor_dids.combined", func(d morsim.DID) bool {
			return inAdminStatusSearch(d, "active") && d.ProviderID == 1 && d.Language == "en"
		}),
		statecheck.ExpectKnownValue("data.mor_dids.none", tfjsonpath.New("dids"), knownvalue.ListExact([]knownvalue.Check{})),
		// Every field of one entry, as the admin sees it.
		statecheck.ExpectKnownValue("data.mor_dids.exact", tfjsonpath.New("dids").AtSliceIndex(0), knownvalue.ObjectExact(map[string]knownvalue.Check{
			"id": knownvalue.Int64Exact(routed.ID), "did": knownvalue.StringExact(routed.Number),
			"provider": knownvalue.StringExact(routed.ProviderName), "language": stringOrNull(routed.Language),
			"status": knownvalue.StringExact("Active"), "reseller": knownvalue.Null(), "owner": knownvalue.StringExact(owner.Name),
			"device":    knownvalue.StringExact(sim.deviceString(routed.DeviceID)),
			"dial_plan": knownvalue.Null(), "simultaneous_call_limit": knownvalue.StringExact(callLimit(routed.CallLimit)),
			"comment": stringOrNull(routed.Comment), "tone_zone": stringOrNull(routed.ToneZone),
		})),
	)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				// Invalid configuration first: the destroy after the last
				// step needs a valid one.
				Config:      sim.providerConfig() + `data "mor_dids" "bad" { status = "busy" }`,
				ExpectError: errorRe(`Attribute status value must be one of`),
			},
			{
				// Any ASCII letter case only, as the provider compares MOR's
				// statuses: "Reſerved", with a long s, is no status of MOR's.
				Config:      sim.providerConfig() + `data "mor_dids" "bad" { status = "Reſerved" }`,
				ExpectError: errorRe(`Attribute status must be written in ASCII letters`),
			},
			{Config: config, ConfigStateChecks: checks},
		},
	})
}

// A simple user sees its own DIDs, without the admin-only fields.
func TestDIDsDataSourceAsSimpleUser(t *testing.T) {
	t.Parallel()
	sim := newTestSim(t)
	user := sim.user("user1")
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`provider "mor" {
  url            = %q
  username       = "user1"
  api_secret_key = %q
}
data "mor_dids" "mine" {}`, sim.URL, sim.Data.APIKey),
			ConfigStateChecks: []statecheck.StateCheck{
				sim.expectDIDs("data.mor_dids.mine", func(d morsim.DID) bool { return d.UserID == user.ID }),
				statecheck.ExpectKnownValue("data.mor_dids.mine", tfjsonpath.New("dids").AtSliceIndex(0).AtMapKey("provider"), knownvalue.Null()),
				statecheck.ExpectKnownValue("data.mor_dids.mine", tfjsonpath.New("dids").AtSliceIndex(0).AtMapKey("dial_plan"), knownvalue.Null()),
			},
		}},
	})
}

// DIDs are sorted by number, then id (MOR can list one number twice).
func TestDIDEntriesOrder(t *testing.T) {
	t.Parallel()
	id := func(n int64) *int64 { return &n }
	got := didList([]mor.DID{{ID: id(9), Number: "2"}, {ID: id(7), Number: "2"}, {ID: id(8), Number: "1"}}).terraformValue()
	var order []string
	for _, d := range listElements(t, got) {
		var number string
		var n big.Float
		if err := d["did"].As(&number); err != nil {
			t.Fatal(err)
		}
		if err := d["id"].As(&n); err != nil {
			t.Fatal(err)
		}
		order = append(order, number+"/"+n.String())
	}
	if strings.Join(order, " ") != "1/8 2/7 2/9" {
		t.Errorf("order %v", order)
	}
	if got := didList(nil).terraformValue(); got.IsNull() || len(listElements(t, got)) != 0 {
		t.Errorf("no DIDs: %#v, want an empty, non-null list", got)
	}
}

// listElements are the attributes of each element of a list of objects.
func listElements(t *testing.T, list tftypes.Value) []map[string]tftypes.Value {
	t.Helper()
	var elems []tftypes.Value
	if err := list.As(&elems); err != nil {
		t.Fatal(err)
	}
	out := make([]map[string]tftypes.Value, len(elems))
	for i, e := range elems {
		if err := e.As(&out[i]); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// For an admin, MOR's free search leaves out a reseller's free DIDs; the
// provider's status = "free" finds them, as does a search without status
// filtered in HCL.
func TestDIDsResellerDIDsOnlyWithoutStatus(t *testing.T) {
	t.Parallel()
	data := morsim.Generate(42, testSizes)
	reseller := int64(0)
	for _, u := range data.Users {
		if u.Role == morsim.RoleReseller {
			reseller = u.ID
			break
		}
	}
	var pooled string
	var free []knownvalue.Check
	for i := range data.DIDs {
		d := &data.DIDs[i]
		if d.Status != "free" {
			continue
		}
		if pooled == "" {
			d.ResellerID, pooled = reseller, d.Number
		}
		free = append(free, knownvalue.StringExact(d.Number))
	}
	if pooled == "" || reseller == 0 || len(free) < 2 {
		t.Fatal("the dataset lacks a reseller or free DIDs")
	}
	srv := httptest.NewServer(morsim.New(data, morsim.Options{}))
	t.Cleanup(srv.Close)
	sim := &testSim{URL: srv.URL + "/billing", Data: data}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: sim.providerConfig() + `
data "mor_dids" "free" { status = "free" }
data "mor_dids" "all" {}
output "free_dids" {
  value = [for d in data.mor_dids.all.dids : d.did if d.status == "Free"]
}
output "reseller_free_dids" {
  value = [for d in data.mor_dids.all.dids : d.did if d.status == "Free" && d.reseller != null]
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				sim.expectDIDs("data.mor_dids.free", func(d morsim.DID) bool { return d.Status == "free" }),
				statecheck.ExpectKnownOutputValue("free_dids", knownvalue.ListExact(free)),
				statecheck.ExpectKnownOutputValue("reseller_free_dids", knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact(pooled)})),
			},
		}},
	})
}
