package provider

import (
	"fmt"
	"strconv"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/mor-terraform/terraform-provider-mor/internal/morsim"
)

func TestDevicesDataSource(t *testing.T) {
	sim := newTestSim(t)
	user := sim.user("user1")
	devices := sim.devicesOf(user.ID)
	if len(devices) < 2 {
		t.Fatalf("user1 has %d devices; the test needs two to check the order", len(devices))
	}
	// The whole list, field by field, in id order (the simulator sends
	// newest first, so this also checks the sorting).
	var want []knownvalue.Check
	for _, d := range devices {
		port, _ := strconv.ParseInt(d.Fields["port"], 10, 64)
		want = append(want, knownvalue.ObjectExact(map[string]knownvalue.Check{
			"device_id":      knownvalue.Int64Exact(d.ID),
			"device_type":    knownvalue.StringExact(d.Fields["device_type"]),
			"ipaddr":         knownvalue.StringExact(d.Fields["ipaddr"]),
			"port":           knownvalue.Int64Exact(port),
			"username":       knownvalue.StringExact(d.Fields["username"]),
			"callerid":       knownvalue.StringExact(d.Fields["callerid"]),
			"devicegroup_id": knownvalue.Int64Exact(d.DevicegroupID),
			"primary_device": knownvalue.Bool(d.Primary),
			"secret":         knownvalue.StringExact(d.Fields["secret"]),
		}))
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: sim.providerConfig() + fmt.Sprintf(`data "mor_devices" "user1" { user_id = %d }`, user.ID),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.mor_devices.user1", tfjsonpath.New("devices"), knownvalue.ListExact(want)),
					statecheck.ExpectSensitiveValue("data.mor_devices.user1", tfjsonpath.New("devices").AtSliceIndex(0).AtMapKey("secret")),
					statecheck.ExpectSensitiveValue("data.mor_devices.user1", tfjsonpath.New("devices").AtSliceIndex(1).AtMapKey("secret")),
				},
			},
			{
				// A user without devices: MOR's "Device not found" is [].
				Config: sim.providerConfig() + fmt.Sprintf(`data "mor_devices" "none" { user_id = %d }`, sim.user("accountant").ID),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.mor_devices.none", tfjsonpath.New("devices"), knownvalue.ListExact([]knownvalue.Check{})),
				},
			},
			{
				// Not the admin's user (it belongs to reseller1).
				Config:      sim.providerConfig() + fmt.Sprintf(`data "mor_devices" "other" { user_id = %d }`, sim.user("user2").ID),
				ExpectError: errorRe("MOR answered: Access Denied."),
			},
			{
				Config:      sim.providerConfig() + `data "mor_devices" "missing" { user_id = 424242 }`,
				ExpectError: errorRe("MOR answered: User not found."),
			},
		},
	})
}

// On releases older than X4 only device_list exists, and it sends the
// seed's four fields: the rest are null.
func TestDevicesDataSourceLegacyRelease(t *testing.T) {
	sim := newTestSim(t)
	sim.SetOptions(func(o *morsim.Options) { o.Legacy = true })
	user := sim.user("user1")
	first := sim.devicesOf(user.ID)[0]
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: sim.providerConfig() + fmt.Sprintf(`data "mor_devices" "user1" { user_id = %d }`, user.ID),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.mor_devices.user1", tfjsonpath.New("devices").AtSliceIndex(0).AtMapKey("device_id"), knownvalue.Int64Exact(first.ID)),
					statecheck.ExpectKnownValue("data.mor_devices.user1", tfjsonpath.New("devices").AtSliceIndex(0).AtMapKey("device_type"), knownvalue.StringExact(first.Fields["device_type"])),
					statecheck.ExpectKnownValue("data.mor_devices.user1", tfjsonpath.New("devices").AtSliceIndex(0).AtMapKey("username"), knownvalue.Null()),
					statecheck.ExpectKnownValue("data.mor_devices.user1", tfjsonpath.New("devices").AtSliceIndex(0).AtMapKey("secret"), knownvalue.Null()),
				},
			},
		},
	})
}
