package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
)

// The provider's functions run through Terraform: their results as outputs,
// and bad input as the error Terraform shows. They use resource.UnitTest
// after t.Parallel(), not resource.ParallelTest, which skips unless TF_ACC
// is set: they need no MOR, so `go test` always runs them.

func functionTest(t *testing.T, steps ...resource.TestStep) {
	t.Helper()
	t.Parallel()
	requireCLI(t, featureFunctions)
	resource.UnitTest(t, resource.TestCase{ProtoV6ProviderFactories: protoV6ProviderFactories, Steps: steps})
}

func cidrList(values ...string) knownvalue.Check {
	checks := []knownvalue.Check{}
	for _, v := range values {
		checks = append(checks, knownvalue.StringExact(v))
	}
	return knownvalue.ListExact(checks)
}

func TestParseACLFunction(t *testing.T) {
	functionTest(t,
		resource.TestStep{
			Config: `
output "example" { value = provider::mor::parse_acl("10.0.0.0/255.0.0.0;192.168.1.1/255.255.255.255") }
output "any"     { value = provider::mor::parse_acl("0.0.0.0/0.0.0.0") }
output "spaces"  { value = provider::mor::parse_acl("10.1.2.3/24;192.168.1.7; ;") }
output "ipv6"    { value = provider::mor::parse_acl("2001:db8::1/32;2001:db8:1::/ffff:ffff:ffff::") }
output "empty"   { value = provider::mor::parse_acl("") }
output "mapped"  { value = provider::mor::parse_acl("::ffff:10.1.2.3/8") }
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("example", cidrList("10.0.0.0/8", "192.168.1.1/32")),
				statecheck.ExpectKnownOutputValue("any", cidrList("0.0.0.0/0")),
				statecheck.ExpectKnownOutputValue("spaces", cidrList("10.1.2.0/24", "192.168.1.7/32")),
				statecheck.ExpectKnownOutputValue("ipv6", cidrList("2001:db8::/32", "2001:db8:1::/48")),
				statecheck.ExpectKnownOutputValue("empty", cidrList()),
				// As Asterisk reads an IPv4-mapped address: IPv4, netmask too.
				statecheck.ExpectKnownOutputValue("mapped", cidrList("10.0.0.0/8")),
			},
		},
		resource.TestStep{
			Config:      `output "x" { value = provider::mor::parse_acl("10.0.0.0/8;10.0.0.0/255.0.255.0") }`,
			ExpectError: errorRe(`Invalid value for "text" parameter: Invalid MOR ACL: entry 2 "10.0.0.0/255.0.255.0": netmask 255.0.255.0 is not contiguous`),
		},
		resource.TestStep{
			// Whether Asterisk strips a blank depends on its realtime driver.
			Config:      `output "x" { value = provider::mor::parse_acl(" 10.1.2.3/24") }`,
			ExpectError: errorRe(`entry 1 " 10.1.2.3/24" holds a space (U+0020), which Asterisk may not strip`),
		},
		resource.TestStep{
			Config:      `output "x" { value = provider::mor::parse_acl("dynamic") }`,
			ExpectError: errorRe(`"dynamic" is not an IPv4 or IPv6 address; expected entries "address/netmask" joined by ";"`),
		},
	)
}

func TestACLAllowsAnyFunction(t *testing.T) {
	functionTest(t,
		resource.TestStep{
			Config: `
output "any"    { value = provider::mor::acl_allows_any("0.0.0.0/0.0.0.0") }
output "halves" { value = provider::mor::acl_allows_any("0.0.0.0/1;128.0.0.0/1") }
output "ipv6"   { value = provider::mor::acl_allows_any("::/0") }
output "host"   { value = provider::mor::acl_allows_any("10.1.2.3/255.255.255.255") }
output "gap"    { value = provider::mor::acl_allows_any("0.0.0.0/1;128.0.0.0/2") }
output "empty"  { value = provider::mor::acl_allows_any("") }
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("any", knownvalue.Bool(true)),
				statecheck.ExpectKnownOutputValue("halves", knownvalue.Bool(true)),
				statecheck.ExpectKnownOutputValue("ipv6", knownvalue.Bool(true)),
				statecheck.ExpectKnownOutputValue("host", knownvalue.Bool(false)),
				statecheck.ExpectKnownOutputValue("gap", knownvalue.Bool(false)),
				statecheck.ExpectKnownOutputValue("empty", knownvalue.Bool(false)),
			},
		},
		resource.TestStep{
			Config:      `output "x" { value = provider::mor::acl_allows_any("0.0.0.0/0.0.0.0,10.0.0.0/8") }`,
			ExpectError: errorRe(`Invalid value for "text" parameter: Invalid MOR ACL: entry 1`),
		},
	)
}

func TestParseDeviceRefFunction(t *testing.T) {
	ref := func(protocol, name string) knownvalue.Check {
		return knownvalue.ObjectExact(map[string]knownvalue.Check{"protocol": knownvalue.StringExact(protocol), "name": knownvalue.StringExact(name)})
	}
	functionTest(t,
		resource.TestStep{
			Config: `
output "sip"  { value = provider::mor::parse_device_ref("SIP/1251") }
output "iax2" { value = provider::mor::parse_device_ref(" IAX2/101 ") }
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("sip", ref("SIP", "1251")),
				statecheck.ExpectKnownOutputValue("iax2", ref("IAX2", "101")),
			},
		},
		resource.TestStep{
			Config:      `output "x" { value = provider::mor::parse_device_ref("1251") }`,
			ExpectError: errorRe(`Invalid value for "device" parameter: Invalid MOR device: "1251" has no "/"; expected "TECHNOLOGY/name"`),
		},
		resource.TestStep{
			Config:      `output "x" { value = provider::mor::parse_device_ref("") }`,
			ExpectError: errorRe(`Invalid MOR device: the text is empty`),
		},
	)
}

func TestParseDialPlanFunction(t *testing.T) {
	plan := func(name, typ string) knownvalue.Check {
		return knownvalue.ObjectExact(map[string]knownvalue.Check{"name": knownvalue.StringExact(name), "type": knownvalue.StringExact(typ)})
	}
	functionTest(t,
		resource.TestStep{
			Config: `
output "ivr"    { value = provider::mor::parse_dial_plan("ivr main (ivr)") }
output "parens" { value = provider::mor::parse_dial_plan("Sales (old) (ivr)") }
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("ivr", plan("ivr main", "ivr")),
				statecheck.ExpectKnownOutputValue("parens", plan("Sales (old)", "ivr")),
			},
		},
		resource.TestStep{
			Config:      `output "x" { value = provider::mor::parse_dial_plan("ivr main") }`,
			ExpectError: errorRe(`Invalid value for "dial_plan" parameter: Invalid MOR dial plan: "ivr main" does not end with a type in parentheses; expected "name (type)"`),
		},
	)
}

// Null (MOR sent nothing) gives an empty list, false or null. OpenTofu
// sends a null function argument as an empty value, which the plugin
// framework rejects, so these run on Terraform only.
func TestFunctionsWithNullArguments(t *testing.T) {
	requireCLI(t, featureFunctionNullArguments)
	functionTest(t,
		resource.TestStep{
			Config: `
output "parse_acl"        { value = provider::mor::parse_acl(null) }
output "acl_allows_any"   { value = provider::mor::acl_allows_any(null) }
output "parse_device_ref" { value = provider::mor::parse_device_ref(null) == null } # null outputs are not kept in state
output "parse_dial_plan"  { value = provider::mor::parse_dial_plan(null) == null }
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("parse_acl", cidrList()),
				statecheck.ExpectKnownOutputValue("acl_allows_any", knownvalue.Bool(false)),
				statecheck.ExpectKnownOutputValue("parse_device_ref", knownvalue.Bool(true)),
				statecheck.ExpectKnownOutputValue("parse_dial_plan", knownvalue.Bool(true)),
			},
		},
	)
}
