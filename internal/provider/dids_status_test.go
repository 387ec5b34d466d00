package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/mor-terraform/terraform-provider-mor/internal/mor"
	"github.com/mor-terraform/terraform-provider-mor/internal/morsim"
)

// TestDIDsStatusIncludesResellers: for the admin, MOR adds reseller_id = 0
// to free and active searches (and the simulator does too); the provider
// undoes it, so every status gives exactly the dataset's DIDs of that
// status, resellers' included, with and without user_id.
func TestDIDsStatusIncludesResellers(t *testing.T) {
	t.Parallel()
	sim := newTestSim(t)
	// A reseller's user with an active DID, an admin's user with one, and
	// the reseller: search_user matches user_id or reseller_id.
	var resellersUser, adminsUser, reseller int64 = -1, -1, -1
	for _, d := range sim.Data.DIDs {
		switch {
		case d.Status == "active" && d.ResellerID != 0 && d.UserID != 0 && resellersUser < 0:
			resellersUser, reseller = d.UserID, d.ResellerID
		case d.Status == "active" && d.ResellerID == 0 && d.UserID != 0 && adminsUser < 0:
			adminsUser = d.UserID
		}
	}
	if resellersUser < 0 || adminsUser < 0 {
		t.Fatal("the dataset has no active DID of a reseller's user or of an admin's user")
	}
	free := 0
	for _, d := range sim.Data.DIDs {
		if d.Status == "free" && d.ResellerID != 0 {
			free++
		}
	}
	var blocks []string
	var checks []statecheck.StateCheck
	for _, status := range mor.DIDStatuses {
		blocks = append(blocks, fmt.Sprintf(`data "mor_dids" "%s" { status = %q }`, status, status))
		checks = append(checks, sim.expectDIDs("data.mor_dids."+status, func(d morsim.DID) bool { return d.Status == status }))
		for _, user := range []int64{resellersUser, adminsUser, reseller} {
			name := fmt.Sprintf("%s_user_%d", status, user)
			blocks = append(blocks, fmt.Sprintf(`data "mor_dids" "%s" {
  status  = %q
  user_id = %d
}`, name, status, user))
			checks = append(checks, sim.expectDIDs("data.mor_dids."+name, func(d morsim.DID) bool {
				return d.Status == status && (d.UserID == user || d.ResellerID == user)
			}))
		}
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:            sim.providerConfig() + strings.Join(blocks, "\n"),
			ConfigStateChecks: checks,
		}},
	})
}
