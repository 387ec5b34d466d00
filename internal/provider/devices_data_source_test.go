package provider

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/mor-terraform/terraform-provider-mor/internal/morsim"
)

func TestDevicesDataSource(t *testing.T) {
	t.Parallel()
	sim := newTestSim(t)
	user := sim.user("user1")
	devices := sim.devicesOf(user.ID)
	if len(devices) < 2 {
		t.Fatalf("user1 has %d devices; the test needs two to check the order", len(devices))
	}
	// The whole list, field by field, in id order (the simulator sends
	// newest first, so this also checks the sorting).
	var want []knownvalue.Check
	secrets := map[string]knownvalue.Check{}
	for _, d := range devices {
		secrets[strconv.FormatInt(d.ID, 10)] = knownvalue.StringExact(d.Fields["secret"])
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
		}))
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				// Without include_secrets: no secret at all.
				Config: sim.providerConfig() + fmt.Sprintf(`data "mor_devices" "user1" { user_id = %d }`, user.ID),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.mor_devices.user1", tfjsonpath.New("devices"), knownvalue.ListExact(want)),
					statecheck.ExpectKnownValue("data.mor_devices.user1", tfjsonpath.New("secrets"), knownvalue.Null()),
				},
			},
			{
				// With it: every device's secret by id, marked sensitive.
				Config: sim.providerConfig() + fmt.Sprintf(`data "mor_devices" "user1" {
  user_id         = %d
  include_secrets = true
}`, user.ID),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.mor_devices.user1", tfjsonpath.New("devices"), knownvalue.ListExact(want)),
					statecheck.ExpectKnownValue("data.mor_devices.user1", tfjsonpath.New("secrets"), knownvalue.MapExact(secrets)),
					statecheck.ExpectSensitiveValue("data.mor_devices.user1", tfjsonpath.New("secrets")),
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
	t.Parallel()
	sim := newTestSim(t)
	sim.SetOptions(func(o *morsim.Options) { o.Legacy = true })
	user := sim.user("user1")
	first := sim.devicesOf(user.ID)[0]
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: sim.providerConfig() + fmt.Sprintf(`data "mor_devices" "user1" {
  user_id         = %d
  include_secrets = true
}`, user.ID),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.mor_devices.user1", tfjsonpath.New("devices").AtSliceIndex(0).AtMapKey("device_id"), knownvalue.Int64Exact(first.ID)),
					statecheck.ExpectKnownValue("data.mor_devices.user1", tfjsonpath.New("devices").AtSliceIndex(0).AtMapKey("device_type"), knownvalue.StringExact(first.Fields["device_type"])),
					statecheck.ExpectKnownValue("data.mor_devices.user1", tfjsonpath.New("devices").AtSliceIndex(0).AtMapKey("username"), knownvalue.Null()),
					statecheck.ExpectKnownValue("data.mor_devices.user1", tfjsonpath.New("secrets").AtMapKey(strconv.FormatInt(first.ID, 10)), knownvalue.Null()),
				},
			},
		},
	})
}

// Through Terraform, in the state file and in `terraform show -json`:
// without include_secrets no device secret of the dataset is stored; with
// it, the secrets of the devices read are.
func TestDevicesSecretsInStateOnlyWhenAsked(t *testing.T) {
	t.Parallel()
	data := morsim.Generate(42, testSizes)
	sim := morsim.New(data, morsim.Options{})
	srv := httptest.NewServer(sim)
	defer srv.Close()
	var userIDs []string
	listed := map[int64]bool{}
	for _, d := range data.Devices {
		if sim.OwnerOf(d.UserID) == 0 && !listed[d.UserID] {
			listed[d.UserID] = true
			userIDs = append(userIDs, strconv.FormatInt(d.UserID, 10))
		}
	}
	config := morProviderRequirement + fmt.Sprintf(`provider "mor" {}
variable "include_secrets" { type = bool }
data "mor_devices" "each" {
  for_each        = toset([%s])
  user_id         = tonumber(each.value)
  include_secrets = var.include_secrets
}
output "usernames" {
  value = flatten([for l in data.mor_devices.each : l.devices[*].username])
}
`, `"`+strings.Join(userIDs, `", "`)+`"`)
	tf := newCLIRunner(t, config, simEnv(srv.URL+"/billing", data)...)
	stored := func(include bool) string {
		tf.mustRun("apply", "-auto-approve", "-input=false", "-no-color", fmt.Sprintf("-var=include_secrets=%t", include))
		raw, err := os.ReadFile(filepath.Join(tf.dir, "terraform.tfstate"))
		if err != nil {
			t.Fatal(err)
		}
		return string(raw) + tf.mustRun("show", "-json")
	}

	state := stored(false)
	var usernames []string
	if err := json.Unmarshal([]byte(tf.mustRun("output", "-json", "usernames")), &usernames); err != nil {
		t.Fatal(err)
	}
	read := 0
	for _, d := range data.Devices {
		if u := d.Fields["username"]; listed[d.UserID] && u != "" && slices.Contains(usernames, u) {
			read++
		}
		if s := d.Fields["secret"]; s != "" && strings.Contains(state, s) {
			t.Errorf("without include_secrets, the secret of device %d is in state", d.ID)
		}
	}
	if read < 2 {
		t.Fatalf("the state lists %d devices of the dataset by username: the check above proved nothing", read)
	}

	state = stored(true)
	for _, d := range data.Devices {
		if s := d.Fields["secret"]; listed[d.UserID] && s != "" && !strings.Contains(state, s) {
			t.Errorf("with include_secrets, the secret of device %d is not in state", d.ID)
		}
	}
	if !strings.Contains(state, `"secrets":true`) {
		t.Errorf("`terraform show -json` does not mark secrets sensitive")
	}
}
