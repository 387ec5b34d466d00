package provider

import (
	"fmt"
	"strconv"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

func TestDeviceDataSource(t *testing.T) {
	t.Parallel()
	sim := newTestSim(t)
	dev := sim.adminDeviceWithPIN(t)
	port, _ := strconv.ParseInt(dev.Fields["port"], 10, 64)
	callLimit, _ := strconv.ParseInt(dev.Fields["call_limit"], 10, 64)
	codecs := func(list []string) knownvalue.Check {
		checks := []knownvalue.Check{}
		for _, c := range list {
			checks = append(checks, knownvalue.StringExact(c))
		}
		return knownvalue.ListExact(checks)
	}
	typed := func(addr string) []statecheck.StateCheck {
		checks := []statecheck.StateCheck{}
		for attr, want := range map[string]knownvalue.Check{
			"device_id":       knownvalue.Int64Exact(dev.ID),
			"device_username": knownvalue.StringExact(dev.Fields["username"]),
			"user_id":         knownvalue.Int64Exact(dev.UserID),
			"name":            knownvalue.StringExact(dev.Fields["name"]),
			"username":        knownvalue.StringExact(dev.Fields["username"]),
			"device_type":     knownvalue.StringExact(dev.Fields["device_type"]),
			"description":     knownvalue.StringExact(dev.Fields["description"]),
			"extension":       knownvalue.StringExact(dev.Fields["extension"]),
			"callerid":        knownvalue.StringExact(dev.Fields["callerid"]),
			"host":            knownvalue.StringExact(dev.Fields["host"]),
			"ipaddr":          knownvalue.StringExact(dev.Fields["ipaddr"]),
			"port":            knownvalue.Int64Exact(port),
			"transport":       knownvalue.StringExact(dev.Fields["transport"]),
			"context":         knownvalue.StringExact("mor_local"),
			"nat":             knownvalue.StringExact(dev.Fields["nat"]),
			"permit":          knownvalue.StringExact(dev.Fields["permit"]),
			"deny":            knownvalue.StringExact("0.0.0.0/0.0.0.0"),
			"allow":           knownvalue.StringExact("all"),
			"disallow":        knownvalue.StringExact("all"),
			"dtmfmode":        knownvalue.StringExact("rfc2833"),
			"insecure":        knownvalue.StringExact("no"),
			"call_limit":      knownvalue.Int64Exact(callLimit),
			"language":        stringOrNull(dev.Fields["language"]),
			"audio_codecs":    codecs(dev.AudioCodecs),
			"video_codecs":    codecs(dev.VideoCodecs),
			"secret":          knownvalue.StringExact(dev.Fields["secret"]),
			"pin":             knownvalue.StringExact(dev.Fields["pin"]),
			"md5secret":       knownvalue.Null(),
			"remotesecret":    knownvalue.Null(),
		} {
			checks = append(checks, statecheck.ExpectKnownValue(addr, tfjsonpath.New(attr), want))
		}
		// Every other column, as MOR names it; secrets never in it.
		attrs := tfjsonpath.New("attributes")
		checks = append(checks,
			statecheck.ExpectKnownValue(addr, attrs.AtMapKey("qualify"), knownvalue.StringExact("500")),
			statecheck.ExpectKnownValue(addr, attrs.AtMapKey("session-timers"), knownvalue.StringExact("")),
			statecheck.ExpectKnownValue(addr, attrs.AtMapKey("call-limit"), knownvalue.StringExact(dev.Fields["call-limit"])),
			statecheck.ExpectKnownValue(addr, attrs.AtMapKey("primary_did_id"), knownvalue.StringExact("0")),
			// 153 sample columns + 4 of 2019 releases, less the 26 typed or secret ones
			// and the 3 that can hold a credential (auth, setvar, requirecalltoken).
			statecheck.ExpectKnownValue(addr, attrs, knownvalue.MapSizeExact(153+4-26-3)),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("secret_attributes"), knownvalue.MapExact(map[string]knownvalue.Check{
				"auth": knownvalue.StringExact(dev.Fields["auth"]), "setvar": knownvalue.StringExact(dev.Fields["setvar"]),
				"requirecalltoken": knownvalue.StringExact("no"),
			})),
		)
		for _, s := range []string{"secret", "pin", "md5secret", "remotesecret", "secret_attributes"} {
			checks = append(checks, statecheck.ExpectSensitiveValue(addr, tfjsonpath.New(s)))
		}
		return checks
	}
	noSecretsInAttributes := func(addr string) resource.TestCheckFunc {
		return resource.ComposeTestCheckFunc(
			resource.TestCheckNoResourceAttr(addr, "attributes.secret"),
			resource.TestCheckNoResourceAttr(addr, "attributes.md5secret"),
			resource.TestCheckNoResourceAttr(addr, "attributes.remotesecret"),
			resource.TestCheckNoResourceAttr(addr, "attributes.pin"),
			resource.TestCheckNoResourceAttr(addr, "attributes.id"),
			resource.TestCheckNoResourceAttr(addr, "attributes.auth"),
			resource.TestCheckNoResourceAttr(addr, "attributes.setvar"),
		)
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: sim.providerConfig() + fmt.Sprintf(`data "mor_device" "by_id" {
  device_id       = %d
  include_secrets = true
}`, dev.ID),
				ConfigStateChecks: typed("data.mor_device.by_id"),
				Check:             noSecretsInAttributes("data.mor_device.by_id"),
			},
			{
				Config: sim.providerConfig() + fmt.Sprintf(`data "mor_device" "by_name" {
  device_username = %q
  include_secrets = true
}`, dev.Fields["username"]),
				ConfigStateChecks: typed("data.mor_device.by_name"),
				Check:             noSecretsInAttributes("data.mor_device.by_name"),
			},
		},
	})
}

func TestDeviceDataSourceErrors(t *testing.T) {
	t.Parallel()
	sim := newTestSim(t)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      sim.providerConfig() + `data "mor_device" "missing" { device_id = 424242 }`,
				ExpectError: errorRe("MOR Device Not Found"),
			},
			{
				Config:      sim.providerConfig() + `data "mor_device" "missing" { device_username = "no-such-device" }`,
				ExpectError: errorRe(`No device with device_username "no-such-device" is in the API user's scope`),
			},
			{
				Config: sim.providerConfig() + `data "mor_device" "both" {
  device_id       = 1
  device_username = "x"
}`,
				ExpectError: errorRe("Invalid Attribute Combination"),
			},
			{
				Config:      sim.providerConfig() + `data "mor_device" "neither" {}`,
				ExpectError: errorRe("Exactly one of these attributes must be configured: [device_id,device_username]"),
			},
			{
				// A computed attribute set beside a valid lookup: refused,
				// never a plan that quietly shows MOR's value instead.
				Config: sim.providerConfig() + fmt.Sprintf(`data "mor_device" "computed_set" {
  device_id = %d
  name      = "not-the-name"
}`, sim.adminDeviceWithPIN(t).ID),
				ExpectError: errorRe("Invalid Configuration for Read-Only Attribute"),
			},
		},
	})
}
