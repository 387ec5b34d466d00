package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// The admin reading a reseller's user's devices: MOR answers Access
// Denied, and the error says only the reseller's API user may list them
// and how (a provider alias), not to use an admin API user.
func TestResellersUserDevicesHint(t *testing.T) {
	t.Parallel()
	sim := newTestSim(t)
	var user int64 = -1
	for _, u := range sim.Data.Users {
		if owner := sim.OwnerOf(u.ID); owner > 0 && sim.user("reseller1").ID == owner {
			user = u.ID
			break
		}
	}
	if user < 0 {
		t.Fatal("the dataset has no user of reseller1")
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: sim.providerConfig() + fmt.Sprintf(`data "mor_devices" "d" { user_id = %d }`, user),
			ExpectError: errorRe("MOR answered: Access Denied. MOR lets only the user's owner list its devices: " +
				"the admin (or an accountant with the permission) for the admin's users, the reseller for its own. " +
				"If the user belongs to a reseller, only that reseller's API user (or the user) may list them, not the admin: " +
				"configure a provider alias with the reseller's username and API key"),
		}},
	})
}
