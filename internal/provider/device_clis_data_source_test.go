package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/mor-terraform/terraform-provider-mor/internal/morsim"
)

func TestDeviceCLIsDataSource(t *testing.T) {
	t.Parallel()
	sim := newTestSim(t)
	device := sim.Data.CLIs[0].DeviceID
	var user int64
	for _, d := range sim.Data.Devices {
		if d.ID == device {
			user = d.UserID
		}
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: sim.providerConfig() + fmt.Sprintf(`
data "mor_device_clis" "all" {}
data "mor_device_clis" "device" { device_id = %d }
data "mor_device_clis" "user" { user_id = %d }
data "mor_device_clis" "both" {
  device_id = %d
  user_id   = %d
}
data "mor_device_clis" "none" { user_id = %d }
`, device, user, device, user, sim.user("accountant").ID),
				ConfigStateChecks: []statecheck.StateCheck{
					sim.expectCLIs("data.mor_device_clis.all", func(morsim.CLI, morsim.Device) bool { return true }),
					sim.expectCLIs("data.mor_device_clis.device", func(c morsim.CLI, _ morsim.Device) bool { return c.DeviceID == device }),
					sim.expectCLIs("data.mor_device_clis.user", func(_ morsim.CLI, d morsim.Device) bool { return d.UserID == user }),
					sim.expectCLIs("data.mor_device_clis.both", func(c morsim.CLI, _ morsim.Device) bool { return c.DeviceID == device }),
					statecheck.ExpectKnownValue("data.mor_device_clis.none", tfjsonpath.New("clis"), knownvalue.ListExact([]knownvalue.Check{})),
				},
			},
			{
				Config:      sim.providerConfig() + `data "mor_device_clis" "missing" { device_id = 424242 }`,
				ExpectError: errorRe("MOR answered: Device was not found."),
			},
			{
				Config: fmt.Sprintf(`provider "mor" {
  url            = %q
  username       = "accountant_norights"
  api_secret_key = %q
}
data "mor_device_clis" "all" {}`, sim.URL, sim.Data.APIKey),
				ExpectError: errorRe("MOR answered: You are not authorized to use this functionality. The API user may not read this."),
			},
		},
	})
}
